/**
 * The built-in reply library: one template per common support intent, with the examples that
 * teach the intent. Placeholders are `{{name}}` or `{{name|fallback}}`; the fallback is used
 * (and the placeholder reported as missing) when the message does not tell the value.
 * `general` answers any message no intent fits. `order` is the reference as written in words
 * ("order 48213"), `order_number` the bare number.
 */
export interface LibraryTemplate {
  intent: string;
  examples: readonly string[];
  body: string;
}

export const generalIntent = 'general';

export const replyLibrary: readonly LibraryTemplate[] = [
  {
    intent: 'order_status',
    examples: [
      'Where is my order? It has not arrived yet.',
      'Can you tell me when my parcel will be delivered?',
      'The tracking page has not updated for five days, order 48213.',
      'I ordered a week ago and still have no shipping confirmation.',
      'Has my package been dispatched yet?',
      'When will order #5531 arrive?',
    ],
    body: 'Thank you for getting in touch about {{order|your order}}. I have checked it with our warehouse and will follow the delivery closely. {{facts|You will receive an e-mail with the tracking details as soon as the carrier updates them.}}',
  },
  {
    intent: 'damaged_item',
    examples: [
      'The parcel arrived damaged and the screen is cracked.',
      'One of the items in my order is broken.',
      'The box was crushed and the vase inside is in pieces.',
      'I received the wrong item, not what I ordered.',
      'Part of my order is missing from the package.',
      'The product arrived faulty and does not switch on.',
    ],
    body: 'I am sorry that {{order|your order}} did not arrive as it should. That is not the experience we want for you. {{facts|Could you send us a photo of the item and its packaging? As soon as we have it, we will send a replacement or refund you in full, whichever you prefer.}}',
  },
  {
    intent: 'refund_request',
    examples: [
      'I would like a refund for my purchase.',
      'Please refund the amount you charged me.',
      'How do I return this item and get my money back?',
      'I returned the jacket two weeks ago and I am still waiting for the refund.',
      'Can I get my money back for the cancelled booking?',
      'I want to send the shoes back for a refund.',
    ],
    body: 'Thank you for your message about the refund for {{order|your order}}. {{facts|Once the return reaches us, the refund is issued within 5 working days to the original payment method; you will get an e-mail when it is on its way.}}',
  },
  {
    intent: 'cancel_order',
    examples: [
      'Please cancel my order.',
      'I want to cancel my subscription.',
      'Can I still cancel order 5531 before it ships?',
      'I ordered by mistake, please stop the order.',
      'How do I cancel my membership?',
      'Cancel the booking for next Friday please.',
    ],
    body: 'Thank you for letting us know. I have asked for {{order|your order}} to be cancelled. {{facts|You will receive a confirmation by e-mail shortly; if a payment was taken, it will be returned in full.}}',
  },
  {
    intent: 'account_access',
    examples: [
      'I cannot log in to my account.',
      'The password reset e-mail never arrives.',
      'My account has been locked.',
      'I forgot my password and the reset link has expired.',
      'The two-factor code is not accepted.',
      'How do I change the e-mail address of my account?',
    ],
    body: 'Sorry for the trouble with your account. For your security, please use the "Forgot password" link on the sign-in page; the reset e-mail goes to {{email|the address on your account}} and is valid for one hour. {{facts|If it does not arrive, check your spam folder and reply to this message.}}',
  },
  {
    intent: 'billing_question',
    examples: [
      'I was charged twice this month.',
      'Why is my invoice higher than usual?',
      'There is a charge on my card I do not recognise.',
      'Can you send me a copy of my invoice?',
      'The amount on my bill is wrong.',
      'When will I be charged for the annual plan?',
    ],
    body: 'Thank you for your question about {{amount|the charge}} on your account. I have looked into it with our billing team. {{facts|You will find every invoice under Account > Billing; if a charge turns out to be wrong, we refund it straight away.}}',
  },
  {
    intent: 'complaint',
    examples: [
      'This is the third time I have written and nobody answers.',
      'Your customer service is terrible.',
      'I am very disappointed with how my case was handled.',
      'I have been waiting for weeks and still no solution.',
      'Nobody called me back as promised.',
      'I want to make a formal complaint.',
    ],
    body: 'I am sorry for the frustration this has caused, and that you had to write to us again. I have taken over your case personally. {{facts|I will come back to you within one working day with a solution.}}',
  },
  {
    intent: 'thanks',
    examples: [
      'Thank you so much for your help!',
      'Great service, the problem is solved.',
      'Thanks, everything works now.',
      'Many thanks for the quick replacement.',
      'I just wanted to say the support team was brilliant.',
      'Cheers, all sorted.',
    ],
    body: 'Thank you for your kind words, it means a lot to the team. {{facts|We are glad everything is sorted.}}',
  },
];

/** For messages no intent fits. */
export const generalTemplate =
  'Thank you for your message. {{facts|A member of our team is looking into it and will get back to you shortly.}}';

export const greetings = {
  friendly: 'Hi {{customer_name|there}},',
  formal: 'Dear {{customer_name|customer}},',
} as const;

export const signOffs = {
  friendly: 'Best wishes,\n{{agent_name|The support team}}',
  formal: 'Kind regards,\n{{agent_name|Customer Service}}',
} as const;
