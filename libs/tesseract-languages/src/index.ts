export {
  defaultLanguageDir,
  type LanguageData,
  languageFile,
  languageSet,
  readLanguageData,
} from './language-data.js';
