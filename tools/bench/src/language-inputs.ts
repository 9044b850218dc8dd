/** Short texts for the language job types, shared by the job-types and language scenarios. */

export const shortSentiment = {
  what: 'a 16-word customer message',
  input: {
    text: 'The parcel arrived two days late and the box was crushed, but support replaced it quickly.',
  },
};

export const shortIntent = {
  what: 'a 10-word message against 3 intents of 5 examples',
  input: {
    text: 'Hi, my parcel still has not arrived, where is it?',
    intents: [
      {
        name: 'track_order',
        examples: [
          'Where is my order?',
          'My parcel has not arrived',
          'When will it be delivered?',
          'Tracking has not updated',
          'Has my order shipped?',
        ],
      },
      {
        name: 'cancel_order',
        examples: [
          'Please cancel my order',
          'I want to cancel',
          'Stop the order please',
          'How do I cancel?',
          'Cancel the booking',
        ],
      },
      {
        name: 'refund',
        examples: [
          'I want my money back',
          'Where is my refund?',
          'Please refund the charge',
          'Refund for the return',
          'Can I get a refund?',
        ],
      },
    ],
  },
};

export const shortClassify = {
  what: 'a 12-word ticket against 3 labels of 5 examples',
  input: {
    text: 'The invoice for March charges us twice for the same licence.',
    labels: [
      {
        name: 'billing',
        examples: [
          'I was charged twice',
          'The invoice total is wrong',
          'Please send a corrected invoice',
          'Why did my bill go up?',
          'The VAT on the invoice is missing',
        ],
      },
      {
        name: 'technical',
        examples: [
          'The app crashes on start',
          'I cannot log in',
          'The export button does nothing',
          'Sync has been failing since Monday',
          'The page shows an error 500',
        ],
      },
      {
        name: 'account',
        examples: [
          'Please change my e-mail address',
          'Add a second user to our account',
          'How do I reset my password?',
          'Close my account',
          'Update the company name on the account',
        ],
      },
    ],
  },
};
