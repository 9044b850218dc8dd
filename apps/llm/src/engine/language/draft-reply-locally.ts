import type { LabelDefinition, LlmDraftReplyInput, TagEntity } from '@gantry/contracts';
import type { ReadEnglish } from './english-nlp.js';
import type { ExampleClassifier } from './example-classifier.js';
import { fillTemplate } from './fill-template.js';
import { findEntities } from './find-entities.js';
import { softmaxScores } from './label-scores.js';
import { generalIntent, generalTemplate, greetings, replyLibrary, signOffs } from './reply-library.js';

export interface DraftReply {
  reply: string;
  intent: string;
  confidence: number;
  template: 'built-in' | 'caller';
  missing: string[];
}

// "order 48213", "Order #A-5531", "ticket no. 7781", "invoice nr: 2024-118"
const referencePattern =
  /\b(order|ticket|case|reference|invoice|booking)\s*(?:number|no\.?|nr\.?|#)?\s*[:#]?\s*(#?[A-Z0-9][A-Z0-9-]*\d[A-Z0-9-]*)/i;

/** What the templates' placeholders are filled with, from the message first, then the thread, newest first. */
function valuesFrom(read: ReadEnglish, texts: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  const first = (type: TagEntity['type'], entities: TagEntity[]) =>
    entities.find((entity) => entity.type === type)?.text;
  for (const text of texts) {
    const entities = findEntities(text, read(text).entities);
    const reference = referencePattern.exec(text);
    // A writer signs at the end: the last person named is the likeliest sender.
    const name = entities
      .filter((e) => e.type === 'person')
      .at(-1)
      ?.text.split(/\s+/)[0];
    const found: Record<string, string | undefined> = {
      order_number: reference?.[2]?.replace(/^#/, ''),
      order: reference ? `${reference[1]?.toLowerCase()} ${reference[2]?.replace(/^#/, '')}` : undefined,
      date: first('date', entities),
      amount: first('amount', entities),
      email: entities.find((e) => e.type === 'email')?.normalized,
      customer_name: name && name.charAt(0).toUpperCase() + name.slice(1),
    };
    for (const [key, value] of Object.entries(found)) if (value && !values[key]) values[key] = value;
  }
  return values;
}

function capWords(paragraphs: string[], maxWords: number | undefined): string {
  const text = paragraphs.join('\n\n');
  if (maxWords === undefined) return text;
  const words = text.split(/(\s+)/);
  let count = 0;
  let end = words.length;
  for (let i = 0; i < words.length; i++) {
    if (/\S/.test(words[i] ?? '') && ++count > maxWords) {
      end = i;
      break;
    }
  }
  return end === words.length ? text : `${words.slice(0, end).join('').trimEnd()}…`;
}

/**
 * The local provider's draft: the message's intent is detected against the template library
 * (built-in intents plus the caller's, taught by examples), the intent's template is filled with
 * names, order numbers, dates, amounts and e-mails found in the message or thread, and framed by a
 * greeting and sign-off in the requested tone. Facts the caller gives replace the template's
 * default closing line, as an agent's own words would.
 */
export function draftReplyLocally(
  read: ReadEnglish,
  classifierFor: (labels: readonly LabelDefinition[]) => ExampleClassifier,
  input: LlmDraftReplyInput,
): DraftReply {
  const callerTemplates = input.templates ?? [];
  const intents = new Map<string, { examples: string[]; body: string; template: DraftReply['template'] }>();
  for (const entry of replyLibrary)
    intents.set(entry.intent, { examples: [...entry.examples], body: entry.body, template: 'built-in' });
  for (const entry of callerTemplates) {
    const known = intents.get(entry.intent);
    intents.set(entry.intent, {
      examples: [...(known?.examples ?? []), ...(entry.examples ?? [])],
      body: entry.body,
      template: 'caller',
    });
  }
  const classifier = classifierFor([...intents].map(([name, { examples }]) => ({ name, examples })));
  const [best] = softmaxScores(classifier.similarities(input.message), true);
  const intent = best && best.name !== 'none' ? best.name : generalIntent;
  const chosen = intents.get(intent) ?? {
    body: callerTemplates.find((t) => t.intent === generalIntent)?.body ?? generalTemplate,
    template: callerTemplates.some((t) => t.intent === generalIntent)
      ? ('caller' as const)
      : ('built-in' as const),
  };
  const customerTexts = [
    input.message,
    ...(input.thread ?? [])
      .filter((m) => m.from === 'customer')
      .map((m) => m.text)
      .reverse(),
  ];
  const values: Record<string, string> = {
    ...valuesFrom(read, customerTexts),
    ...(input.constraints?.customer_name ? { customer_name: input.constraints.customer_name } : {}),
    ...(input.constraints?.agent_name ? { agent_name: input.constraints.agent_name } : {}),
  };
  const facts = (input.facts ?? []).map((fact) => (/[.!?]$/.test(fact) ? fact : `${fact}.`)).join(' ');
  if (facts) values['facts'] = facts;
  const greeting = fillTemplate(greetings[input.tone], values);
  const body = fillTemplate(chosen.body, values);
  const signOff = fillTemplate(signOffs[input.tone], values);
  const bodyText = facts && !/\{\{\s*facts/.test(chosen.body) ? `${body.text} ${facts}` : body.text;
  const missing = [...new Set([...greeting.unfilled, ...body.unfilled])].filter((name) => name !== 'facts');
  return {
    reply: `${capWords([greeting.text, bodyText.trim()], input.constraints?.max_words)}\n\n${signOff.text}`,
    intent: best && best.name !== 'none' ? best.name : 'none',
    confidence: best?.score ?? 0,
    template: chosen.template,
    missing,
  };
}
