export {
  defaultLanguageDir,
  type LanguageData,
  languageFile,
  languageSet,
  type LanguageSource,
  readLanguageData,
} from './language-data.js';
