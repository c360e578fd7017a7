import { describe, expect, it } from 'vitest';
import { parseDotEnv } from './dotenv.js';
import { containerOf, importText, messages } from './test-support.js';

describe('parseDotEnv', () => {
  it('reads Compose .env syntax', () => {
    const text = [
      '# comment',
      '',
      'A=1',
      'export B = two ',
      "C='lit ${A} $A'",
      'D="line\\nnext ${A}"',
      'E=plain # comment',
      'F=${A}-${UNSET:-d}-$HOME',
      'G="multi',
      'line"',
      'H=',
      'FROM_ENV',
      'I=a#b',
    ].join('\n');
    const { values, problems } = parseDotEnv(text, { HOME: '/h', FROM_ENV: 'e' });
    expect(problems).toEqual([]);
    expect(values).toEqual({
      A: '1',
      B: 'two',
      C: 'lit ${A} $A',
      D: 'line\nnext 1',
      E: 'plain',
      F: '1-d-/h',
      G: 'multi\nline',
      H: '',
      FROM_ENV: 'e',
      I: 'a#b',
    });
  });

  it('takes values as they are with raw', () => {
    expect(parseDotEnv('A="${X}" # c', { X: 'x' }, true).values).toEqual({ A: '"${X}" # c' });
  });

  it('names the line of what it cannot read', () => {
    expect(parseDotEnv('A=1\nnot a line\nB="open', {}).problems).toEqual([
      { line: 2, message: 'is not a NAME=value line' },
      { line: 3, message: 'has a quote that is not closed' },
    ]);
  });
});

describe('environment and env_file', () => {
  const files = { '/project/app.env': 'A=from-file\nB=file\nSECRET=s3\n', '/project/more.env': 'B=more\n' };

  it('reads env files under environment, later files winning, and marks their names secret', () => {
    const result = importText(
      'services:\n  a:\n    image: x\n    environment: [A=own]\n    env_file: [app.env, { path: ./more.env }, { path: missing.env, required: false }]\nx-dive: { plain: [B] }\n',
      { files },
    );
    expect(result.problems).toEqual([]);
    expect(containerOf(result)['environment']).toEqual({ A: 'own', B: 'more', SECRET: 's3' });
    expect(result.secretNames).toEqual(['A', 'SECRET']);
    // Where each secret value came from: the file that won for it, not plain, not overridden by `environment`.
    expect(result.envFiles).toEqual([{ service: 'a', file: '/project/app.env', names: ['SECRET'] }]);
  });

  it('names the file each env_file secret came from, whatever the order of environment and env_file', () => {
    const result = importText(
      'services:\n  a:\n    image: x\n    env_file: [app.env, { path: more.env, format: raw }]\n    environment: [SECRET=own]\n  b:\n    image: x\n    env_file: more.env\n',
      { files },
    );
    expect(result.problems).toEqual([]);
    expect(result.envFiles).toEqual([
      { service: 'a', file: '/project/app.env', names: ['A'] },
      { service: 'a', file: '/project/more.env', raw: true, names: ['B'] },
      { service: 'b', file: '/project/more.env', names: ['B'] },
    ]);
  });

  it('refuses a missing required env file and bad lines, naming the file and line', () => {
    const result = importText('services:\n  a:\n    image: x\n    env_file: [nope.env, bad.env]\n', {
      files: { '/project/bad.env': 'ok=1\n???\n' },
    });
    expect(messages(result.problems)).toEqual([
      'services.a.env_file.0: env_file /project/nope.env cannot be read',
      'services.a.env_file.1: /project/bad.env:2: is not a NAME=value line',
    ]);
  });

  it('passes bare environment entries through from the project environment, warning when unset', () => {
    const result = importText('services:\n  a:\n    image: x\n    environment: [SET, UNSET, "EMPTY="]\n', {
      env: { SET: 'yes' },
    });
    expect(containerOf(result)['environment']).toEqual({ SET: 'yes', EMPTY: '' });
    expect(messages(result.warnings)).toEqual([
      "services.a.environment.1: service 'a': UNSET is not set in the environment; left out",
    ]);
  });

  it('maps labels (list or map) and label_file', () => {
    const result = importText(
      'services:\n  a:\n    image: x\n    labels: { own: "1", n: 2 }\n    label_file: l.env\n',
      {
        files: { '/project/l.env': 'own=file\nfrom=file\n' },
      },
    );
    expect(containerOf(result)['labels']).toEqual({ own: '1', n: '2', from: 'file' });
  });
});
