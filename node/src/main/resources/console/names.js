// Elasticsearch's index name rules, as the node checks them (io.kccr.core.index.IndexNames): the same tests in
// the same order with the same words, so what the form says while typing is what the server would answer. The
// server stays the judge: on submit its own message is shown.

const INVALID_CHARS = '\\/*?"<>| ,#:';

/** Why {@code name} is not a valid index name, or null when it is. */
export function indexNameProblem(name) {
  if (!name) {
    return 'must not be empty';
  }
  if (name.toLowerCase() !== name) {
    return 'must be lowercase';
  }
  if (name === '.' || name === '..') {
    return "must not be '.' or '..'";
  }
  if ('_-+'.includes(name[0])) {
    return "must not start with '_', '-', or '+'";
  }
  for (const c of INVALID_CHARS) {
    if (name.includes(c)) {
      return "must not contain the following characters [' ','\"','*',',','/','<','>','?','\\','|',':','#']";
    }
  }
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > 255) {
    return 'index name is too long, (' + bytes + ' > 255)';
  }
  return null;
}

/** The server's words for an invalid index name: {@code Invalid index name [<name>], <problem>}. */
export function invalidIndexNameMessage(name) {
  const problem = indexNameProblem(name);
  return problem == null ? null : 'Invalid index name [' + name + '], ' + problem;
}
