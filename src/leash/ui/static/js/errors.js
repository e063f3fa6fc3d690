// Puts the API's validation messages beside the fields they are about.

import { post } from './api.js';

const INDEXED = [/constraints\[(\d+)\]/, /constraints\/(\d+)/];

function constraintIndex(detail) {
  for (const pattern of INDEXED) {
    const match = (detail.path || '').match(pattern) || (detail.message || '').match(pattern);
    if (match) return Number(match[1]);
  }
  return null;
}

function fieldOf(detail, names) {
  for (const name of names) {
    if ((detail.path || '').replace(/^\/body\//, '') === name) return name;
    if ((detail.message || '').startsWith(`"${name}"`)) return name;
  }
  return null;
}

// Returns {fields: {name: message}, constraints: {index: message}, general: [messages]}.
// Messages that name no constraint (the operator rules) are matched to a constraint by
// asking the API to validate each constraint on its own.
export async function explain(error, { fieldNames = [], constraints = [] } = {}) {
  const result = { fields: {}, constraints: {}, general: [] };
  const unplaced = [];
  for (const detail of error.details) {
    const index = constraintIndex(detail);
    const name = fieldOf(detail, fieldNames);
    if (index !== null) result.constraints[index] = detail.message;
    else if (name) result.fields[name] = detail.message;
    else unplaced.push(detail.message);
  }
  if (constraints.length && error.status === 400) {
    // The API stops at the first problem it finds; checking each constraint on its own shows
    // every broken one at once, even when the first problem was another field.
    const checks = await Promise.all(constraints.map((constraint) =>
      post('/api/admin/constraints/validate', constraint).then(() => null, (e) => e.message)));
    checks.forEach((message, index) => {
      if (message && !result.constraints[index]) result.constraints[index] = message;
    });
    const placed = new Set(Object.values(result.constraints));
    for (const message of unplaced) if (!placed.has(message)) result.general.push(message);
  } else {
    result.general.push(...unplaced);
  }
  return result;
}
