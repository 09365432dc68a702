// Variable defaults in the component lint (lib/component/lint.ts, datto-formats §1): a map default
// that is neither a label nor a value gets no "option value" hint, and an empty boolean default is fine.
import assert from 'node:assert/strict';
import { lintComponent } from '../../lib/component/lint.js';
import { testComponent } from './helpers.js';

const findings = (variables: NonNullable<Parameters<typeof testComponent>[0]>['variables']) =>
  lintComponent(testComponent({ body: 'Write-Output 1', variables }))
    .filter((f) => f.rule === 'map-default' || f.rule === 'boolean-default')
    .map((f) => `${f.rule} ${f.path}: ${f.message}`);

describe('lint: variable defaults', () => {
  it('names the labels of a map whose default is neither a label nor a value, without the value hint', () => {
    assert.deepEqual(
      findings([{ name: 'm', type: 'map', options: [{ name: 'One', value: '1' }], defaultVal: 'Two' }]),
      ['map-default variables[0].defaultVal: default "Two" is not an option name ("One")'],
    );
  });

  it('accepts an empty boolean default, and true and false', () => {
    assert.deepEqual(
      findings([
        { name: 'a', type: 'boolean', defaultVal: '' },
        { name: 'b', type: 'boolean', defaultVal: 'true' },
        { name: 'c', type: 'boolean', defaultVal: 'false' },
      ]),
      [],
    );
  });
});
