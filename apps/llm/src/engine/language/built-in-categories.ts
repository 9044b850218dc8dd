import type { LabelDefinition } from '@gantry/contracts';

/**
 * The categories `llm.tags` suggests, taught by examples like any caller's labels. Written for
 * this project; broad on purpose (a desk's own taxonomy belongs in `llm.classify`).
 */
export const builtInCategories: readonly LabelDefinition[] = [
  {
    name: 'billing',
    description: 'Invoices, payments, charges, refunds, prices and subscriptions',
    examples: [
      'I was charged twice for my subscription this month.',
      'Please find attached invoice 2024-118 for the amount of EUR 1,250.00, due within 30 days.',
      'Can I get a refund for the annual plan? The payment went through on my credit card.',
      'Our bank transfer to your IBAN was sent on Monday, please confirm the payment was received.',
      'Why does my bill show a late fee? I paid the balance before the due date.',
      'Payment reminder: the outstanding amount of $89.90 is overdue.',
    ],
  },
  {
    name: 'orders and delivery',
    description: 'Orders, shipping, parcels, tracking, returns and replacements',
    examples: [
      'Where is my parcel? The tracking number has not updated for a week.',
      'My order arrived damaged and one item is missing from the box.',
      'I would like to return the shoes and exchange them for a bigger size.',
      'Your order #48213 has been dispatched and will be delivered on Thursday.',
      'The courier left the package at the wrong address.',
      'Can you change the delivery address of order 5531 before it ships?',
    ],
  },
  {
    name: 'technical support',
    description: 'Software or devices that crash, fail, show errors or do not work',
    examples: [
      'The app crashes every time I open the settings page.',
      'I get error 500 when I try to upload a file larger than 10 MB.',
      'The printer stopped connecting to the wifi after the firmware update.',
      'Sync is broken since version 4.2, my notes do not show up on the laptop.',
      'The website is very slow and the checkout button does nothing.',
      'Steps to reproduce: log in, open reports, click export; the page freezes.',
    ],
  },
  {
    name: 'account and access',
    description: 'Log-in, passwords, two-factor codes, profile and account settings',
    examples: [
      'I cannot log in, the password reset e-mail never arrives.',
      'Please delete my account and all my personal data.',
      'How do I change the e-mail address on my profile?',
      'My account was locked after too many attempts.',
      'The two-factor code from the authenticator app is rejected.',
      'I want to add a second user to our company account.',
    ],
  },
  {
    name: 'feedback',
    description: 'Opinions, reviews, praise and complaints about a product or service',
    examples: [
      'Great product, the battery lasts for days and the screen is gorgeous. Five stars.',
      'The staff were friendly but the room was noisy and the breakfast was cold.',
      'I love the new design, thank you for listening to your users.',
      'Worst customer service I have ever experienced, nobody cares.',
      'The food was delicious and the view was stunning, we will come back.',
      'Decent value for money, although the instructions could be clearer.',
    ],
  },
  {
    name: 'sales enquiry',
    description: 'Quotes, pricing, plans, demos, bulk orders and partnerships',
    examples: [
      'Could you send us a quote for 200 licences of the enterprise plan?',
      'We are interested in a demo of your platform for our sales team.',
      'Do you offer discounts for non-profit organisations?',
      'What is the price difference between the basic and the premium package?',
      'We would like to become a reseller of your products in Spain.',
      'Is there a volume discount if we order more than 500 units?',
    ],
  },
  {
    name: 'legal',
    description: 'Contracts, terms, privacy, data protection, claims and notices',
    examples: [
      'This agreement shall be governed by the laws of England and Wales.',
      'Under GDPR article 15 I request a copy of all personal data you hold about me.',
      'Please review the attached non-disclosure agreement and return a signed copy.',
      'The tenant shall give three months written notice before terminating the lease.',
      'We hereby notify you of a breach of clause 7 of the service contract.',
      'Our privacy policy was updated; the changes take effect on 1 March.',
    ],
  },
  {
    name: 'human resources',
    description: 'Jobs, applications, hiring, payroll, leave and staff matters',
    examples: [
      'I would like to apply for the senior developer position advertised on your website.',
      'Please find my CV and cover letter attached.',
      'My holiday request for the first week of August is still pending approval.',
      'The new starter will need a laptop and building access from Monday.',
      'Payslips for November are now available in the employee portal.',
      'We are pleased to offer you the role of project manager starting 1 February.',
    ],
  },
  {
    name: 'news',
    description: 'Reports of events, announcements, markets, politics and science',
    examples: [
      'The central bank raised interest rates by a quarter point on Wednesday, citing persistent inflation.',
      'Heavy rain caused flooding across the region, and thousands of homes lost power overnight.',
      'The company reported record quarterly revenue and announced plans to hire 2,000 engineers.',
      'Scientists have discovered a new species of frog in the rainforest of Ecuador.',
      'The government announced a new plan to cut emissions by half before 2035.',
      'Shares fell sharply after the merger talks collapsed.',
    ],
  },
];
