function camel(s: string): string {
  return s.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** "profile.bank_accounts[0].account_name" (or ".0.") with prefix "profile" → ["bankAccounts", 0, "accountName"]. */
export function protoPathToName(field: string, stripPrefixes: string[]): (string | number)[] {
  let path = field;
  for (const p of stripPrefixes) {
    if (path === p) return [];
    if (path.startsWith(p + ".")) {
      path = path.slice(p.length + 1);
      break;
    }
  }
  const parts: (string | number)[] = [];
  for (const seg of path.split(".")) {
    const m = /^([^[\]]+)((\[\d+\])*)$/.exec(seg);
    if (!m) {
      parts.push(camel(seg));
      continue;
    }
    parts.push(/^\d+$/.test(m[1]) ? Number(m[1]) : camel(m[1]));
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) parts.push(Number(idx[1]));
  }
  return parts;
}
