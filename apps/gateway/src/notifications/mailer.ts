import { GantryError } from '@gantry/contracts';
import nodemailer from 'nodemailer';
import type { GatewayEnv } from '../env.js';
import type { EmailReport } from './job-email-report.js';

type SmtpSettings = Pick<
  GatewayEnv,
  'SMTP_URL' | 'SMTP_HOST' | 'SMTP_PORT' | 'SMTP_SECURE' | 'SMTP_USER' | 'SMTP_PASSWORD' | 'SMTP_FROM'
>;

/** Sends e-mail reports over SMTP (nodemailer). */
export interface Mailer {
  send(to: readonly string[], report: EmailReport): Promise<void>;
  close(): void;
}

/** The configured SMTP server's mailer; null when e-mail is not set up (no server or no sender). */
export function createMailer(env: SmtpSettings): Mailer | null {
  if (!env.SMTP_FROM || (!env.SMTP_URL && !env.SMTP_HOST)) return null;
  const transport = env.SMTP_URL
    ? nodemailer.createTransport(env.SMTP_URL)
    : nodemailer.createTransport({
        host: env.SMTP_HOST,
        port: env.SMTP_PORT,
        secure: env.SMTP_SECURE,
        ...(env.SMTP_USER ? { auth: { user: env.SMTP_USER, pass: env.SMTP_PASSWORD ?? '' } } : {}),
      });
  const from = env.SMTP_FROM;
  return {
    async send(to, report) {
      try {
        await transport.sendMail({ from, to: [...to], ...report });
      } catch (error) {
        // A 5xx reply is the server's final word (a refused recipient, say); anything else may pass later.
        const responseCode = (error as { responseCode?: unknown }).responseCode;
        const permanent = typeof responseCode === 'number' && responseCode >= 500;
        throw new GantryError(
          'EMAIL_DELIVERY_FAILED',
          `the report could not be sent: ${(error as Error).message}`,
          {
            retryable: !permanent,
            details: { response_code: typeof responseCode === 'number' ? responseCode : null },
            cause: error,
          },
        );
      }
    },
    close: () => transport.close(),
  };
}
