/**
 * The fair baseline's one PostgreSQL row per job: a primary key and nothing else indexed (Gantry's
 * `jobs` table has four indexes and a history table; this is the least a team would keep).
 */
export const fairJobsTable = `CREATE TABLE fair_jobs (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  status text NOT NULL,
  input jsonb NOT NULL,
  output jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
)`;
