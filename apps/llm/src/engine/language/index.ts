export { loadLanguageDetector } from '../detect-language.js';
export { loadEnglishReader } from './english-nlp.js';
export type { LanguageProvider } from './language-provider.js';
export { createLocalLanguageProvider } from './local-language-provider.js';
