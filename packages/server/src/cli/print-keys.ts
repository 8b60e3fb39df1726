import type { CreatedKey } from '../keys/keys';

/** The first-start message: the keys, shown this once. */
export function formatInitialKeys(keys: readonly CreatedKey[], adminChosen: boolean): string {
  const lines = [
    'Switchyard: first start. Created the default project with environments development and production.',
    'These keys are shown once; only their hashes are stored. Keep them somewhere safe.',
    '',
  ];
  for (const key of keys) {
    const label = key.kind === 'admin' ? 'admin' : `${key.environment} ${key.kind}`;
    const secret =
      key.kind === 'admin' && adminChosen ? '(the key in SWITCHYARD_ADMIN_KEY)' : key.secret;
    lines.push(`  ${label.padEnd(24)} ${secret}`);
  }
  lines.push('', 'Send them as: Authorization: Bearer <key>', '');
  return lines.join('\n');
}
