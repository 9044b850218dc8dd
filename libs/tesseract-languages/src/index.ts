export {
  defaultLanguageDir,
  type LanguageData,
  languageFile,
  languageSet,
  languagesUnavailable,
  type LanguageSource,
  readLanguageData,
} from './language-data.js';
