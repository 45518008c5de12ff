// ajv validators for the report tests: the official SARIF 2.1.0 schema (test/fixtures/sarif) and
// our docs/report.schema.json, both draft-07, with the `uri`/`date-time` formats checked.

import * as fs from 'node:fs';
import * as path from 'node:path';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { repo } from './helpers.js';

const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;

function validatorFor(file: string) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(repo, file), 'utf8')));
}

export const validateSarif = validatorFor('test/fixtures/sarif/sarif-schema-2.1.0.json');
export const validateReportJson = validatorFor('docs/report.schema.json');

/** Throws with ajv's errors, so a failing test says what is wrong. */
export function assertValid(validate: ReturnType<typeof validatorFor>, data: unknown): void {
  if (!validate(data)) throw new Error(`schema errors:\n${JSON.stringify(validate.errors, null, 2)}`);
}
