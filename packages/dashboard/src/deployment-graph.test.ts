import { describe, expect, it } from 'vitest';
import { graphFromSteps } from './internal/deployment-graph.js';

describe('graphFromSteps', () => {
  it("reads the planned services and their dependencies from the deployment's graph step", () => {
    const steps = [
      { step: 'phase:preflight', detail: {} },
      {
        step: 'graph',
        detail: {
          services: [
            { name: 'db', kind: 'service', dependsOn: [] },
            { name: 'api', kind: 'service', dependsOn: ['db'] },
            { name: 'seed', kind: 'job', dependsOn: ['db', 'api'] },
          ],
        },
      },
    ];
    expect(graphFromSteps(steps)).toEqual({
      planned: ['db', 'api', 'seed'],
      dependsOn: { db: [], api: ['db'], seed: ['db', 'api'] },
    });
  });

  it('is undefined without a usable graph step, and skips malformed entries', () => {
    expect(graphFromSteps([{ step: 'service:db', detail: {} }])).toBeUndefined();
    expect(graphFromSteps([{ step: 'graph', detail: { services: '[REDACTED]' } }])).toBeUndefined();
    expect(graphFromSteps([{ step: 'graph' }])).toBeUndefined();
    const odd = graphFromSteps([
      {
        step: 'graph',
        detail: {
          services: [null, { name: 7 }, { name: 'db', dependsOn: 'x' }, { name: 'api', dependsOn: ['db', 3] }],
        },
      },
    ]);
    expect(odd).toEqual({ planned: ['db', 'api'], dependsOn: { db: [], api: [] } });
  });
});
