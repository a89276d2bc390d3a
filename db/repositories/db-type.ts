import type { Kysely, Transaction } from "kysely";
import type { Database } from "#db/schema";

/** Repositories take either the database or an open transaction: the service decides. */
export type Db = Kysely<Database> | Transaction<Database>;
