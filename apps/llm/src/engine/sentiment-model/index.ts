// The model code shared by the embedded provider and the training tool (`@gantry/sentiment-model`),
// so that training and serving featurise text with the very same function.
export * from './extract-features.js';
export * from './linear-sentiment-model.js';
export * from './sentiment-artefact.js';
export * from './sentiment-labels.js';
export { tokeniseText, type TextTokens } from './tokenise-text.js';
