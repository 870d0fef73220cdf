import { describe, expect, it } from "vitest";
import { recordingsPresent } from "../../../test/conformance/recordings.js";
import { declare, expectNoChanges } from "../../../test/support/kind-lifecycle.js";
import { actionToApi, actionToSpec, type ActionOutput } from "./actions.js";
import { automationKind } from "./api.js";
import { triggerToApi, triggerToSpec } from "./triggers.js";
import { recordedAnswer } from "../../../test/support/recordings.js";

const spec = (raw: Record<string, unknown>) => declare(automationKind, { name: "m", actions: [], ...raw });

describe("prefect_automation request mapping", () => {
  it("sends event windows as numbers of seconds, as Prefect's client does (ISO text on a Proactive trigger is a 500), and leaves undeclared threshold and window to the server", () => {
    const declared = spec({ trigger: { event: { posture: "Proactive", expect: ["b", "a"], within: 90, threshold: 2 } } });
    expect(triggerToApi(declared.trigger)).toEqual({
      type: "event",
      posture: "Proactive",
      match: {},
      match_related: {},
      after: [],
      expect: ["a", "b"],
      for_each: [],
      threshold: 2,
      within: 90,
    });
    expect(triggerToApi(spec({ trigger: { event: { posture: "Reactive" } } }).trigger)).not.toHaveProperty("within");
    expect(triggerToApi(spec({ trigger: { event: { posture: "Reactive" } } }).trigger)).not.toHaveProperty("threshold");
  });

  it("reads a window answered as ISO 8601 text (a Python 3.13+ server echoing what another tool sent) in seconds", () => {
    const live = { type: "event", posture: "Reactive", match: {}, match_related: {}, after: [], expect: ["a"], for_each: [], threshold: 1, within: "PT1H30M" };
    expect(triggerToSpec(live as never)).toMatchObject({ event: { within: 5400 } });
    const sequence = { type: "sequence", triggers: [live], within: "P1D" };
    expect(triggerToSpec(sequence as never)).toMatchObject({ sequence: { within: 86_400, triggers: [{ event: { within: 5400 } }] } });
  });

  it("sends a composite without a window as null and its members by type, metric ranges in seconds", () => {
    const metric = { metric: { name: "duration", operator: ">", threshold: 5, range: 600, firing_for: 300 } };
    const declared = spec({ trigger: { compound: { require: "any", triggers: [{ event: { posture: "Reactive" } }, { metric }] } } });
    expect(triggerToApi(declared.trigger)).toMatchObject({
      type: "compound",
      require: "any",
      within: null,
      triggers: [{ type: "event" }, { type: "metric", posture: "Metric", match: {}, match_related: {}, metric: metric.metric }],
    });
  });

  it("sends only the fields an action's type takes, empty parameters and job variables as null", () => {
    const [run, notify] = spec({
      trigger: { event: { posture: "Reactive" } },
      actions: [
        { type: "run-deployment", deployment_id: "8b3c8e4e-7a11-4d5c-9c39-2f0b8a6c1d00" },
        { type: "send-notification", block_document_id: "8b3c8e4e-7a11-4d5c-9c39-2f0b8a6c1d01", body: "b" },
      ],
    }).actions;
    expect(actionToApi(run!)).toEqual({ type: "run-deployment", deployment_id: "8b3c8e4e-7a11-4d5c-9c39-2f0b8a6c1d00", parameters: null, job_variables: null });
    expect(actionToApi(notify!)).toEqual({ type: "send-notification", block_document_id: "8b3c8e4e-7a11-4d5c-9c39-2f0b8a6c1d01", body: "b" });
  });

  it("reads server-only action fields away and absent documents as {}", () => {
    const live = { type: "change-flow-run-state", state: "FAILED", name: null, message: null, force: false } as unknown as ActionOutput;
    expect(actionToSpec(live)).toEqual({ type: "change-flow-run-state", state: "FAILED", parameters: {}, job_variables: {} });
  });
});

describe.skipIf(!recordingsPresent())("prefect_automation against a real 3.8 server's answers (scenarios.jsonl)", () => {
  const resource = { match: { "prefect.resource.id": "prefect.flow-run.*" }, for_each: ["prefect.resource.id"] };
  const event = (extra: Record<string, unknown>) => ({ posture: "Reactive", expect: ["pub.done"], threshold: 1, ...resource, ...extra });
  type Live = Parameters<typeof automationKind.toSpec>[0];

  it.each<[string, Record<string, unknown>]>([
    ["auto reactive within number", { event: event({ within: 30 }) }],
    ["auto reactive within iso", { event: event({ within: 30 }) }],
    ["auto proactive within number", { event: event({ posture: "Proactive", within: 300 }) }],
    ["auto compound", { compound: { require: "all", within: 60, triggers: [{ event: event({ within: 0 }) }, { event: event({ within: 0 }) }] } }],
    ["auto sequence null within", { sequence: { triggers: [{ event: event({ within: 0 }) }, { event: event({ within: 0 }) }] } }],
  ])("reads the answer to %s as the declaration that made it", (label, trigger) => {
    const answer = recordedAnswer(label);
    expectNoChanges(automationKind, declare(automationKind, { name: answer.name, trigger, actions: [{ type: "do-nothing" }] }), answer as unknown as Live);
  });

  it("reads a run-deployment action back with the source, null job variables and schedule_after the server filled as no changes", () => {
    const answer = recordedAnswer("auto run-deployment action");
    const actions = [{ type: "run-deployment", source: "selected", deployment_id: "df5d6394-8454-4a63-adf4-eb34025c4aba", parameters: { a: { __prefect_kind: "jinja", template: "{{ event.id }}" } } }];
    expectNoChanges(automationKind, declare(automationKind, { name: answer.name, trigger: { event: event({ within: 0 }) }, actions }), answer as unknown as Live);
    expectNoChanges(automationKind, declare(automationKind, { name: answer.name, trigger: { event: event({ within: 0 }) }, actions: [{ ...actions[0], source: undefined }] }), answer as unknown as Live);
  });
});
