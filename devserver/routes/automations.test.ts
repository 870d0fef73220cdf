import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startDevServer, type DevServer } from "../index.js";
import { deployments, workPools, type DeploymentEntity, type WorkPoolEntity } from "../collections.js";
import { Store } from "../store.js";
import { useDevServer } from "../../test/support/devserver.js";
import { rawApi, type RawApi } from "../../test/support/http.js";
import { jobVariableProblems } from "./automation-job-variables.js";

type Json = Record<string, unknown>;

interface Automation {
  id: string;
  created: string;
  updated: string;
  name: string;
  description: string;
  enabled: boolean;
  tags: string[];
  trigger: Json;
  actions: Json[];
  actions_on_trigger: Json[];
  actions_on_resolve: Json[];
}

interface ValidationError {
  exception_message: string;
  exception_detail: { type: string; loc: (string | number)[]; msg: string; input: unknown }[];
  request_body: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const COMPOUND = "function-after[validate_require(), function-after[validate_require(), CompoundTrigger]]";
/** A ValueError's issue, as pydantic serializes it (its exception in `ctx`). */
const valueIssue = (loc: (string | number)[], msg: string, input: unknown = expect.anything()) => ({ type: "value_error", loc, msg, input, ctx: { error: {} } });

/**
 * The issues a refused trigger or action reports itself, without what the other members of its
 * union add (each one's `type` literal and the fields it requires): see the recorded 422s below.
 */
function ownIssues(issues: ValidationError["exception_detail"]): ValidationError["exception_detail"] {
  return issues.filter((issue) => issue.type !== "literal_error" && !(issue.type === "missing" && issue.loc.length > 3));
}
const reactive = (extra: Json = {}): Json => ({ type: "event", posture: "Reactive", expect: ["prefect.flow-run.Failed"], ...extra });
const body = (extra: Json = {}): Json => ({ name: "notify", trigger: reactive(), actions: [{ type: "do-nothing" }], ...extra });

/** Every trigger id in a trigger tree, outermost first. */
function triggerIds(trigger: Json): string[] {
  const children = Array.isArray(trigger.triggers) ? (trigger.triggers as Json[]) : [];
  return [String(trigger.id), ...children.flatMap(triggerIds)];
}

describe("automations", () => {
  const ctx = useDevServer();
  let api: RawApi;

  beforeEach(async () => {
    await rawApi(ctx.server.origin).post("/_devserver/reset");
    api = rawApi(ctx.server.url);
  });

  async function create(extra: Json = {}, target: RawApi = api): Promise<Automation> {
    const response = await target.post<Automation>("/automations/", body(extra));
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  }

  async function refusal(extra: Json, target: RawApi = api): Promise<ValidationError> {
    const response = await target.post<ValidationError>("/automations/", body(extra));
    expect(response.status).toBe(422);
    return response.body;
  }

  describe("create and read", () => {
    it("answers 201 with the stored automation, defaults filled and the trigger's window in seconds", async () => {
      const created = await create({ trigger: reactive({ within: "PT30S" }) });
      expect(created).toMatchObject({
        name: "notify",
        description: "",
        enabled: true,
        tags: [],
        actions: [{ type: "do-nothing" }],
        actions_on_trigger: [],
        actions_on_resolve: [],
      });
      expect(created.trigger).toEqual({
        type: "event",
        id: expect.stringMatching(UUID),
        match: {},
        match_related: {},
        after: [],
        expect: ["prefect.flow-run.Failed"],
        for_each: [],
        posture: "Reactive",
        threshold: 1,
        within: 30,
      });
      expect(created.id).toMatch(UUID);
      expect(created.created).toBe(created.updated);
      expect(await api.get(`/automations/${created.id}`)).toMatchObject({ status: 200, body: created });
    });

    it("creates a new automation for every POST, even with the same name", async () => {
      const first = await create();
      const second = await create();
      expect(second.id).not.toBe(first.id);
      expect((await api.post<number>("/automations/count")).body).toBe(2);
    });

    it.each([
      ["a number of seconds", 45, 45],
      ["an ISO 8601 duration in minutes", "PT1M", 60],
      ["an ISO 8601 duration in days", "P1D", 86_400],
      ["a mixed ISO 8601 duration", "P1DT2H3M4S", 93_784],
      ["a week", "P1W", 604_800],
    ])("reads the window of an event trigger given as %s", async (_label, within, seconds) => {
      const created = await create({ trigger: reactive({ within }) });
      expect(created.trigger.within).toBe(seconds);
    });

    it("keeps match labels, related-resource specifications and event names as sent, without duplicates", async () => {
      const trigger = reactive({
        match: { "prefect.resource.id": ["prefect.flow-run.*"], "prefect.resource.name": "etl" },
        match_related: [{ "prefect.resource.role": "flow", "prefect.resource.name": "etl" }],
        after: ["prefect.flow-run.Running"],
        expect: ["prefect.flow-run.Failed", "prefect.flow-run.Crashed"],
        for_each: ["prefect.resource.id"],
        threshold: 3,
      });
      const created = await create({ trigger, tags: ["ops", "etl"], description: "page the on-call" });
      expect(created).toMatchObject({ tags: ["ops", "etl"], description: "page the on-call", trigger });
    });

    it("answers 404 with the server's wording for an unknown id and 422 for an id that is not a UUID", async () => {
      expect(await api.get(`/automations/${randomUUID()}`)).toMatchObject({ status: 404, body: { detail: "Automation not found" } });
      const malformed = await api.get<ValidationError>("/automations/not-a-uuid");
      expect(malformed.status).toBe(422);
      expect(malformed.body.exception_detail[0]).toMatchObject({ type: "uuid_parsing", loc: ["path", "id"] });
    });

    it("refuses a body that breaks the schema before any semantic check", async () => {
      const response = await api.post<ValidationError>("/automations/", { name: "x", trigger: reactive() });
      expect(response.status).toBe(422);
      expect(response.body.exception_detail).toContainEqual(expect.objectContaining({ type: "missing", loc: ["body", "actions"] }));
    });
  });

  describe("as the recorded Prefect 3.8 server answers", () => {
    const proactive = (within: unknown): Json => ({
      type: "event",
      posture: "Proactive",
      expect: ["pub.done"],
      threshold: 1,
      within,
      match: { "prefect.resource.id": "prefect.flow-run.*" },
      for_each: ["prefect.resource.id"],
    });
    const INTERNAL = { exception_message: "Internal Server Error" };

    // scenarios.jsonl "auto proactive within iso" and "auto put proactive iso": the trigger's
    // before-validator compares the text with a timedelta before parsing it (TypeError -> 500),
    // src/prefect/server/events/schemas/automations.py enforce_minimum_within_for_proactive_triggers.
    it("answers 500 to a Proactive trigger whose window is ISO text, on create and on PUT", async () => {
      expect(await api.post("/automations/", { name: "a4", trigger: proactive("PT300S"), actions: [{ type: "do-nothing" }] })).toMatchObject({ status: 500, body: INTERNAL });
      const nested = { type: "sequence", within: 60, triggers: [reactive(), proactive("PT1M")] };
      expect(await api.post("/automations/", { name: "a4", trigger: nested, actions: [] })).toMatchObject({ status: 500, body: INTERNAL });
      expect((await api.post<number>("/automations/count")).body).toBe(0);
      const a3 = await create({ name: "a3", trigger: proactive(300) });
      expect(a3.trigger).toMatchObject({ posture: "Proactive", within: 300 });
      expect(await api.put(`/automations/${a3.id}`, { name: "a3", trigger: proactive("PT600S"), actions: [{ type: "do-nothing" }] })).toMatchObject({ status: 500, body: INTERNAL });
      expect((await api.get<Automation>(`/automations/${a3.id}`)).body.trigger).toMatchObject({ within: 300 });
      // "auto put proactive number"
      expect((await api.put(`/automations/${a3.id}`, { name: "a3", trigger: proactive(600), actions: [{ type: "do-nothing" }] })).status).toBe(204);
      expect((await api.get<Automation>(`/automations/${a3.id}`)).body.trigger).toMatchObject({ within: 600 });
    });

    // scenarios.jsonl "auto reactive within iso": a trigger's window is always answered in seconds
    // (PrefectBaseModel ser_json_timedelta="float"), whatever the durations option says.
    it("answers a Reactive trigger's ISO window in seconds", async () => {
      const a2 = await create({ trigger: { ...proactive("PT30S"), posture: "Reactive" } });
      expect(a2.trigger.within).toBe(30);
    });

    // scenarios.jsonl "auto proactive within 5": every member of the trigger union reports, and the
    // body is echoed as sent (within 5.0 there: the validator rewrote it; JSON numbers compare equal).
    it("refuses a Proactive window under 10 seconds with the recorded 422", async () => {
      const sent = { name: "a5", trigger: proactive(5), actions: [{ type: "do-nothing" }] };
      const response = await api.post("/automations/", sent);
      expect(response.status).toBe(422);
      const compound = "function-after[validate_require(), function-after[validate_require(), CompoundTrigger]]";
      expect(response.body).toEqual({
        exception_message: "Invalid request received.",
        exception_detail: [
          {
            type: "value_error",
            loc: ["body", "trigger", "EventTrigger"],
            msg: "Value error, `within` for Proactive triggers must be greater than or equal to 10 seconds",
            input: sent.trigger,
            ctx: { error: {} },
          },
          { type: "literal_error", loc: ["body", "trigger", compound, "type"], msg: "Input should be 'compound'", input: "event", ctx: { expected: "'compound'" } },
          { type: "missing", loc: ["body", "trigger", compound, "triggers"], msg: "Field required", input: sent.trigger },
          { type: "missing", loc: ["body", "trigger", compound, "require"], msg: "Field required", input: sent.trigger },
          { type: "literal_error", loc: ["body", "trigger", "SequenceTrigger", "type"], msg: "Input should be 'sequence'", input: "event", ctx: { expected: "'sequence'" } },
          { type: "missing", loc: ["body", "trigger", "SequenceTrigger", "triggers"], msg: "Field required", input: sent.trigger },
        ],
        request_body: sent,
      });
    });

    // scenarios.jsonl "auto bad action": every member of the action union reports.
    it("refuses a selected run-deployment without a deployment with the recorded 422", async () => {
      const action = { type: "run-deployment", source: "selected" };
      const sent = { name: "a9", trigger: { ...proactive(0), posture: "Reactive" }, actions: [action] };
      const response = await api.post<ValidationError>("/automations/", sent);
      expect(response.status).toBe(422);
      const at = (member: string, field?: string) => (field ? ["body", "actions", 0, member, field] : ["body", "actions", 0, member]);
      const literal = (member: string, type: string) => ({ type: "literal_error", loc: at(member, "type"), msg: `Input should be '${type}'`, input: "run-deployment", ctx: { expected: `'${type}'` } });
      const missing = (member: string, field: string) => ({ type: "missing", loc: at(member, field), msg: "Field required", input: action });
      expect(response.body).toEqual({
        exception_message: "Invalid request received.",
        exception_detail: [
          literal("DoNothing", "do-nothing"),
          { type: "value_error", loc: at("function-after[selected_deployment_requires_id(), RunDeployment]"), msg: "Value error, deployment_id is required", input: action, ctx: { error: {} } },
          literal("function-after[selected_deployment_requires_id(), PauseDeployment]", "pause-deployment"),
          literal("function-after[selected_deployment_requires_id(), ResumeDeployment]", "resume-deployment"),
          literal("CancelFlowRun", "cancel-flow-run"),
          literal("DeleteFlowRun", "delete-flow-run"),
          literal("ChangeFlowRunState", "change-flow-run-state"),
          missing("ChangeFlowRunState", "state"),
          literal("function-after[selected_work_queue_requires_id(), PauseWorkQueue]", "pause-work-queue"),
          literal("function-after[selected_work_queue_requires_id(), ResumeWorkQueue]", "resume-work-queue"),
          literal("SendNotification", "send-notification"),
          missing("SendNotification", "block_document_id"),
          missing("SendNotification", "body"),
          literal("CallWebhook", "call-webhook"),
          missing("CallWebhook", "block_document_id"),
          literal("function-after[selected_automation_requires_id(), PauseAutomation]", "pause-automation"),
          literal("function-after[selected_automation_requires_id(), ResumeAutomation]", "resume-automation"),
          literal("SuspendFlowRun", "suspend-flow-run"),
          literal("ResumeFlowRun", "resume-flow-run"),
          literal("function-after[selected_work_pool_requires_id(), PauseWorkPool]", "pause-work-pool"),
          literal("function-after[selected_work_pool_requires_id(), ResumeWorkPool]", "resume-work-pool"),
        ],
        request_body: sent,
      });
    });

    // events/schemas/automations.py enforce_minimum_within_for_proactive_triggers runs before EventTrigger's
    // fields: a sequence without a window is refused by it as an event trigger, not by its type.
    it("reports a composite trigger without a window through the event trigger's window check", async () => {
      const trigger = { type: "sequence", within: null, triggers: [reactive({ within: -1 })] };
      const refused = await refusal({ trigger });
      expect(refused.exception_detail[0]).toEqual({
        type: "value_error",
        loc: ["body", "trigger", "EventTrigger"],
        msg: "Value error, `within` should be a valid timedelta",
        input: trigger,
        ctx: { error: {} },
      });
      expect(refused.exception_detail.map((issue) => issue.loc.slice(2, 6))).toContainEqual(["SequenceTrigger", "triggers", 0, "EventTrigger"]);
    });
  });

  describe("triggers", () => {
    it("gives every trigger a new server-side id, replacing the ids a client sends", async () => {
      const sentIds: string[] = [randomUUID(), randomUUID(), randomUUID()];
      const trigger = {
        type: "compound",
        id: sentIds[0],
        require: "all",
        within: 60,
        triggers: [reactive({ id: sentIds[1] }), reactive({ id: sentIds[2], expect: ["prefect.flow-run.Crashed"] })],
      };
      const created = await create({ trigger });
      const ids = triggerIds(created.trigger);
      expect(ids).toHaveLength(3);
      for (const id of ids) expect(id).toMatch(UUID);
      expect(ids.filter((id) => sentIds.includes(id))).toEqual([]);
      expect(new Set(ids).size).toBe(3);
    });

    it("round-trips a compound trigger nested in a sequence, durations in seconds at every level", async () => {
      const trigger = {
        type: "sequence",
        within: "PT1H",
        triggers: [
          reactive({ expect: ["prefect.flow-run.Running"] }),
          { type: "compound", require: 1, within: null, triggers: [reactive({ within: "PT5M" }), reactive({ expect: ["prefect.flow-run.Crashed"] })] },
        ],
      };
      const created = await create({ trigger });
      expect(created.trigger).toMatchObject({
        type: "sequence",
        within: 3600,
        triggers: [
          { type: "event", expect: ["prefect.flow-run.Running"], within: 0, threshold: 1 },
          {
            type: "compound",
            require: 1,
            within: null,
            triggers: [
              { type: "event", within: 300, posture: "Reactive" },
              { type: "event", expect: ["prefect.flow-run.Crashed"] },
            ],
          },
        ],
      });
      expect(created.trigger).not.toHaveProperty("require");
      expect(await api.get(`/automations/${created.id}`)).toMatchObject({ body: { trigger: created.trigger } });
    });

    it.each(["any", "all", 2])("accepts a compound trigger requiring %s of two triggers", async (require) => {
      const created = await create({ trigger: { type: "compound", require, within: 10, triggers: [reactive(), reactive()] } });
      expect(created.trigger).toMatchObject({ type: "compound", require, within: 10 });
    });

    it.each([
      [3, "Value error, require must be less than or equal to the number of triggers"],
      [0, "Value error, require must be at least 1"],
    ])("refuses a compound trigger requiring %s of two triggers", async (require, msg) => {
      const refused = await refusal({ trigger: { type: "compound", require, within: 10, triggers: [reactive(), reactive()] } });
      expect(refused).toMatchObject({ exception_message: "Invalid request received." });
      expect(ownIssues(refused.exception_detail)).toEqual([valueIssue(["body", "trigger", COMPOUND], msg)]);
    });

    it("locates a problem in a nested trigger through each union member it passes", async () => {
      const nested = { type: "compound", require: 5, within: 10, triggers: [reactive()] };
      const refused = await refusal({ trigger: { type: "sequence", within: 60, triggers: [reactive(), nested] } });
      // The sequence's own member reports the nested compound's problem; the compound member of the
      // outer union (ahead of it in the union's order) validates the same triggers and reports it too.
      expect(ownIssues(refused.exception_detail).map((issue) => issue.loc)).toEqual([
        ["body", "trigger", COMPOUND, "triggers", 1, COMPOUND],
        ["body", "trigger", "SequenceTrigger", "triggers", 1, COMPOUND],
      ]);
    });

    it("gives a Proactive trigger without a window the 10-second minimum", async () => {
      const created = await create({ trigger: { type: "event", posture: "Proactive", expect: ["prefect.flow-run.Completed"] } });
      expect(created.trigger).toMatchObject({ posture: "Proactive", within: 10 });
    });

    it("refuses a Proactive trigger whose window is under 10 seconds", async () => {
      const refused = await refusal({ trigger: { type: "event", posture: "Proactive", within: 5 } });
      expect(ownIssues(refused.exception_detail)).toEqual([
        valueIssue(["body", "trigger", "EventTrigger"], "Value error, `within` for Proactive triggers must be greater than or equal to 10 seconds", expect.objectContaining({ posture: "Proactive" })),
      ]);
    });

    it("refuses a negative window on a Reactive trigger", async () => {
      const refused = await refusal({ trigger: reactive({ within: -1 }) });
      expect(ownIssues(refused.exception_detail)).toEqual([expect.objectContaining({ type: "greater_than_equal", loc: ["body", "trigger", "EventTrigger", "within"] })]);
    });

    it("refuses a metric trigger on the open-source server", async () => {
      const refused = await refusal({ trigger: { type: "metric", posture: "Metric", metric: { name: "lateness", threshold: 60, operator: ">" } } });
      expect(refused.exception_message).toBe("Invalid request received.");
    });

    describe("on Prefect Cloud", () => {
      let cloud: RawApi;
      beforeEach(() => {
        cloud = rawApi(ctx.server.cloudUrl());
      });

      it("accepts a metric trigger, with its range and firing_for in seconds (5 minutes by default)", async () => {
        const metric = { type: "metric", posture: "Metric", match: { "prefect.resource.id": "prefect.deployment.*" }, metric: { name: "lateness", threshold: 60, operator: ">", range: "PT10M" } };
        const created = await create({ trigger: metric }, cloud);
        expect(created.trigger).toEqual({
          type: "metric",
          id: expect.stringMatching(UUID),
          match: { "prefect.resource.id": "prefect.deployment.*" },
          match_related: {},
          posture: "Metric",
          metric: { name: "lateness", threshold: 60, operator: ">", range: 600, firing_for: 300 },
        });
        expect(created).toMatchObject({ account_id: expect.any(String), workspace_id: expect.any(String) });
      });

      it("accepts a metric trigger nested in a compound trigger", async () => {
        const metric = { type: "metric", metric: { name: "successes", threshold: 1, operator: "<", firing_for: 900 } };
        const created = await create({ trigger: { type: "compound", require: "any", within: 3600, triggers: [metric, reactive()] } }, cloud);
        expect(created.trigger).toMatchObject({ triggers: [{ type: "metric", posture: "Metric", metric: { range: 300, firing_for: 900 } }, { type: "event" }] });
      });

      it.each(["range", "firing_for"])("refuses a metric %s under 5 minutes", async (field) => {
        const trigger = { type: "metric", metric: { name: "duration", threshold: 600, operator: ">=", [field]: 120 } };
        const refused = await refusal({ trigger }, cloud);
        expect(refused.exception_detail).toEqual([
          valueIssue(["body", "trigger", "MetricTrigger", "metric", field], "Value error, The minimum range is 300 seconds (5 minutes)", 120),
        ]);
      });

      it("keeps each Cloud workspace's automations apart from the open-source server's", async () => {
        await create({}, cloud);
        expect((await api.post<number>("/automations/count")).body).toBe(0);
        expect((await cloud.post<number>("/automations/count")).body).toBe(1);
      });
    });
  });

  describe("actions", () => {
    const deploymentId = randomUUID();
    const blockId = randomUUID();
    const sent: Json[] = [
      { type: "do-nothing" },
      { type: "run-deployment", deployment_id: deploymentId, parameters: { name: "{{ flow_run.name }}" }, job_variables: null, schedule_after: "PT1H" },
      { type: "run-deployment", source: "inferred" },
      { type: "pause-deployment", deployment_id: deploymentId },
      { type: "resume-deployment", source: "inferred" },
      { type: "cancel-flow-run" },
      { type: "delete-flow-run" },
      { type: "change-flow-run-state", state: "FAILED", message: "timed out" },
      { type: "suspend-flow-run" },
      { type: "resume-flow-run" },
      { type: "pause-work-queue", work_queue_id: randomUUID() },
      { type: "resume-work-queue", source: "inferred" },
      { type: "pause-work-pool", work_pool_id: randomUUID() },
      { type: "resume-work-pool", source: "inferred" },
      { type: "pause-automation", automation_id: randomUUID() },
      { type: "resume-automation", source: "inferred" },
      { type: "send-notification", block_document_id: blockId, body: "Flow run {{ flow_run.name }} failed" },
      { type: "call-webhook", block_document_id: blockId, payload: '{"run": "{{ flow_run.id }}"}' },
    ];
    const expected: Json[] = [
      { type: "do-nothing" },
      { type: "run-deployment", source: "selected", deployment_id: deploymentId, parameters: { name: "{{ flow_run.name }}" }, job_variables: null, schedule_after: 3600 },
      { type: "run-deployment", source: "inferred", deployment_id: null, parameters: null, job_variables: null, schedule_after: 0 },
      { type: "pause-deployment", source: "selected", deployment_id: deploymentId },
      { type: "resume-deployment", source: "inferred", deployment_id: null },
      { type: "cancel-flow-run" },
      { type: "delete-flow-run" },
      { type: "change-flow-run-state", name: null, state: "FAILED", message: "timed out", force: false },
      { type: "suspend-flow-run" },
      { type: "resume-flow-run" },
      { type: "pause-work-queue", source: "selected", work_queue_id: sent[10]?.work_queue_id },
      { type: "resume-work-queue", source: "inferred", work_queue_id: null },
      { type: "pause-work-pool", source: "selected", work_pool_id: sent[12]?.work_pool_id },
      { type: "resume-work-pool", source: "inferred", work_pool_id: null },
      { type: "pause-automation", source: "selected", automation_id: sent[14]?.automation_id },
      { type: "resume-automation", source: "inferred", automation_id: null },
      { type: "send-notification", block_document_id: blockId, subject: "Prefect automated notification", body: "Flow run {{ flow_run.name }} failed" },
      { type: "call-webhook", block_document_id: blockId, payload: '{"run": "{{ flow_run.id }}"}' },
    ];

    it("round-trips every action type in actions, actions_on_trigger and actions_on_resolve, defaults filled", async () => {
      const created = await create({ actions: sent, actions_on_trigger: sent, actions_on_resolve: sent });
      expect(created.actions).toEqual(expected);
      expect(created.actions_on_trigger).toEqual(expected);
      expect(created.actions_on_resolve).toEqual(expected);
      expect((await api.get<Automation>(`/automations/${created.id}`)).body.actions).toEqual(expected);
    });

    it.each([
      ["run-deployment", "deployment_id", "function-after[selected_deployment_requires_id(), RunDeployment]"],
      ["pause-deployment", "deployment_id", "function-after[selected_deployment_requires_id(), PauseDeployment]"],
      ["resume-deployment", "deployment_id", "function-after[selected_deployment_requires_id(), ResumeDeployment]"],
      ["pause-work-queue", "work_queue_id", "function-after[selected_work_queue_requires_id(), PauseWorkQueue]"],
      ["resume-work-queue", "work_queue_id", "function-after[selected_work_queue_requires_id(), ResumeWorkQueue]"],
      ["pause-work-pool", "work_pool_id", "function-after[selected_work_pool_requires_id(), PauseWorkPool]"],
      ["resume-work-pool", "work_pool_id", "function-after[selected_work_pool_requires_id(), ResumeWorkPool]"],
      ["pause-automation", "automation_id", "function-after[selected_automation_requires_id(), PauseAutomation]"],
      ["resume-automation", "automation_id", "function-after[selected_automation_requires_id(), ResumeAutomation]"],
    ])("refuses %s with a selected source and no %s, and an inferred one with it", async (type, field, model) => {
      const missing = await refusal({ actions_on_trigger: [{ type }] });
      expect(ownIssues(missing.exception_detail)).toEqual([valueIssue(["body", "actions_on_trigger", 0, model], `Value error, ${field} is required`, expect.objectContaining({ type }))]);
      const extra = await refusal({ actions: [{ type: "do-nothing" }, { type, source: "inferred", [field]: randomUUID() }] });
      expect(ownIssues(extra.exception_detail)).toEqual([valueIssue(["body", "actions", 1, model], `Value error, ${field} is not allowed`, expect.objectContaining({ type }))]);
    });

    it.each([
      ["subject", { type: "send-notification", block_document_id: randomUUID(), subject: "{{ flow_run.name", body: "ok" }, "SendNotification"],
      ["body", { type: "send-notification", block_document_id: randomUUID(), body: "{% if x %}unterminated" }, "SendNotification"],
      ["payload", { type: "call-webhook", block_document_id: randomUUID(), payload: "{{ }}" }, "CallWebhook"],
    ])("refuses a notification or webhook whose %s is not a valid template", async (field, action, model) => {
      const refused = ownIssues((await refusal({ actions: [action] })).exception_detail);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ type: "value_error", loc: ["body", "actions", 0, model, field] });
      expect(refused[0]?.msg).toMatch(new RegExp(`^Value error, '${field}' is not a valid template: `));
    });

    it("refuses a template with more nested for-loops than the server's sandbox allows", async () => {
      const deep = "{% for a in x %}{% for b in a %}{% for c in b %}{{ c }}{% endfor %}{% endfor %}{% endfor %}";
      const refused = await refusal({ actions: [{ type: "send-notification", block_document_id: randomUUID(), body: deep }] });
      expect(ownIssues(refused.exception_detail)[0]?.msg).toBe(
        "Value error, 'body' is not a valid template: Contains nested for loops at a depth of 3. Templates can nest for loops no more than 2 loops deep.",
      );
    });

    it("refuses run-deployment parameters holding invalid Jinja, naming the parameter", async () => {
      const parameters = { greeting: "hello", nested: { who: { __prefect_kind: "jinja", template: "{{ flow_run.name" } } };
      const refused = ownIssues((await refusal({ actions: [{ type: "run-deployment", deployment_id: randomUUID(), parameters }] })).exception_detail);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toMatchObject({ loc: ["body", "actions", 0, "function-after[selected_deployment_requires_id(), RunDeployment]", "parameters"], input: parameters });
      expect(refused[0]?.msg).toMatch(/^Value error, Invalid parameters: \nnested\.who: Invalid jinja: /);
    });

    it("accepts run-deployment parameters with valid templates and placeholders, storing them as sent", async () => {
      const parameters = { a: "{{ event.id }}", b: { __prefect_kind: "json", value: '{"x": 1}' }, c: { __prefect_kind: "workspace_variable", variable_name: "region" } };
      const created = await create({ actions: [{ type: "run-deployment", deployment_id: randomUUID(), parameters }] });
      expect(created.actions[0]?.parameters).toEqual(parameters);
    });

    it("refuses a negative schedule_after", async () => {
      const refused = await refusal({ actions: [{ type: "run-deployment", source: "inferred", schedule_after: -5 }] });
      expect(ownIssues(refused.exception_detail)).toEqual([
        expect.objectContaining({ type: "greater_than_equal", loc: ["body", "actions", 0, "function-after[selected_deployment_requires_id(), RunDeployment]", "schedule_after"] }),
      ]);
    });

    it("answers 404 when a run-deployment action sets job variables for a deployment that does not exist", async () => {
      const response = await api.post("/automations/", body({ actions: [{ type: "run-deployment", deployment_id: randomUUID(), job_variables: { image: "x" } }] }));
      expect(response).toMatchObject({ status: 404, body: { detail: "Deployment not found." } });
      expect((await api.post<number>("/automations/count")).body).toBe(0);
    });

    it("refuses an enabled automation that runs an inferred deployment on every flow-run state change", async () => {
      const refused = await refusal({ trigger: reactive({ expect: ["prefect.flow-run.*"] }), actions: [{ type: "run-deployment", source: "inferred" }] });
      expect(refused.exception_detail).toEqual([
        valueIssue(["body"], expect.stringMatching(/^Value error, Running an inferred deployment from a flow run state change event will lead to an infinite loop/)),
      ]);
    });

    it("refuses a selected deployment run on flow runs starting unless the trigger narrows which flow runs", async () => {
      const actions = [{ type: "run-deployment", deployment_id: randomUUID() }];
      const refused = await refusal({ trigger: reactive({ expect: ["prefect.flow-run.Running"], match: { "prefect.resource.id": "prefect.flow-run.*" } }), actions });
      expect(refused.exception_detail[0]?.msg).toMatch(/^Value error, Running a selected deployment from a flow run state change event may lead to an infinite loop/);
      await create({ trigger: reactive({ expect: ["prefect.flow-run.Running"], match: { "prefect.resource.name": "upstream" } }), actions });
      await create({ enabled: false, trigger: reactive({ expect: ["prefect.flow-run.Running"] }), actions });
    });
  });

  describe("update", () => {
    it("replaces the fields a PUT sends, answers 204, and records the update", async () => {
      const original = await create({ tags: ["a"], description: "before" });
      const replacement = body({ name: "renamed", trigger: reactive({ within: 120 }), actions: [{ type: "cancel-flow-run" }], tags: ["b"], description: "after", enabled: false });
      const response = await api.put(`/automations/${original.id}`, replacement);
      expect(response).toMatchObject({ status: 204, body: undefined });
      const stored = (await api.get<Automation>(`/automations/${original.id}`)).body;
      expect(stored).toMatchObject({ id: original.id, created: original.created, name: "renamed", tags: ["b"], description: "after", enabled: false, actions: [{ type: "cancel-flow-run" }] });
      expect(stored.trigger.within).toBe(120);
      expect(stored.updated > original.updated).toBe(true);
    });

    it("keeps the fields a PUT leaves out, as the server updates only what is sent", async () => {
      const original = await create({ tags: ["keep"], description: "kept", enabled: false, actions_on_resolve: [{ type: "do-nothing" }] });
      expect((await api.put(`/automations/${original.id}`, { name: "only-required", trigger: reactive(), actions: [] })).status).toBe(204);
      const stored = (await api.get<Automation>(`/automations/${original.id}`)).body;
      expect(stored).toMatchObject({ name: "only-required", tags: ["keep"], description: "kept", enabled: false, actions: [], actions_on_resolve: [{ type: "do-nothing" }] });
    });

    it("counts an identical PUT as an update: the timestamp moves and the triggers get new ids", async () => {
      const original = await create({ trigger: { type: "sequence", within: 60, triggers: [reactive()] } });
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect((await api.put(`/automations/${original.id}`, body({ trigger: { type: "sequence", within: 60, triggers: [reactive()] } }))).status).toBe(204);
      const stored = (await api.get<Automation>(`/automations/${original.id}`)).body;
      expect(stored.updated > original.updated).toBe(true);
      expect(triggerIds(stored.trigger)).toHaveLength(2);
      expect(triggerIds(stored.trigger).some((id) => triggerIds(original.trigger).includes(id))).toBe(false);
    });

    it("applies the same checks to a PUT as to a POST, and 404s an unknown automation", async () => {
      const original = await create();
      const refused = await api.put<ValidationError>(`/automations/${original.id}`, body({ actions: [{ type: "pause-work-pool" }] }));
      expect(refused.status).toBe(422);
      expect(ownIssues(refused.body.exception_detail)[0]).toMatchObject({ loc: ["body", "actions", 0, "function-after[selected_work_pool_requires_id(), PauseWorkPool]"], msg: "Value error, work_pool_id is required" });
      const schema = await api.put<ValidationError>(`/automations/${original.id}`, { name: "no-trigger", actions: [] });
      expect(schema.status).toBe(422);
      expect(schema.body.exception_detail).toContainEqual(expect.objectContaining({ type: "missing", loc: ["body", "trigger"] }));
      expect(await api.put(`/automations/${randomUUID()}`, body())).toMatchObject({ status: 404, body: { detail: "Automation not found" } });
      expect((await api.put<ValidationError>("/automations/nope", body())).body.exception_detail[0]).toMatchObject({ type: "uuid_parsing" });
    });

    it("turns an automation off and on with PATCH, changing nothing else", async () => {
      const original = await create({ tags: ["t"] });
      expect((await api.patch(`/automations/${original.id}`, { enabled: false })).status).toBe(204);
      const disabled = (await api.get<Automation>(`/automations/${original.id}`)).body;
      expect(disabled).toMatchObject({ enabled: false, tags: ["t"], trigger: original.trigger });
      expect(disabled.updated >= original.updated).toBe(true);
      expect((await api.patch(`/automations/${original.id}`, { enabled: true })).status).toBe(204);
      expect((await api.get<Automation>(`/automations/${original.id}`)).body.enabled).toBe(true);
    });

    it("refuses PATCH fields other than enabled, and 404s an unknown automation", async () => {
      const original = await create();
      const refused = await api.patch<ValidationError>(`/automations/${original.id}`, { name: "x" });
      expect(refused.status).toBe(422);
      expect(refused.body.exception_detail[0]).toMatchObject({ type: "extra_forbidden", loc: ["body", "name"] });
      expect(await api.patch(`/automations/${randomUUID()}`, { enabled: false })).toMatchObject({ status: 404, body: { detail: "Automation not found" } });
    });

    it("refuses to enable, by PATCH, an automation that would run deployments in a loop", async () => {
      const looping = await create({ enabled: false, trigger: reactive({ expect: ["prefect.flow-run.Pending"] }), actions: [{ type: "run-deployment", source: "inferred" }] });
      const refused = await api.patch<ValidationError>(`/automations/${looping.id}`, { enabled: true });
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ request_body: { enabled: true }, exception_detail: [{ type: "value_error", loc: [] }] });
      expect((await api.get<Automation>(`/automations/${looping.id}`)).body.enabled).toBe(false);
    });
  });

  describe("delete", () => {
    it("answers 204, then 404 for the deleted automation", async () => {
      const original = await create();
      expect(await api.delete(`/automations/${original.id}`)).toMatchObject({ status: 204, body: undefined });
      expect(await api.get(`/automations/${original.id}`)).toMatchObject({ status: 404, body: { detail: "Automation not found" } });
      expect(await api.delete(`/automations/${original.id}`)).toMatchObject({ status: 404, body: { detail: "Automation not found" } });
    });
  });

  describe("filter and count", () => {
    async function names(filter: unknown): Promise<string[]> {
      const response = await api.post<Automation[]>("/automations/filter", filter);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return response.body.map((automation) => automation.name);
    }

    beforeEach(async () => {
      await create({ name: "charlie", tags: ["ops"] });
      await create({ name: "alpha", tags: ["ops", "etl"] });
      await create({ name: "bravo" });
    });

    it("sorts by name by default, and by the other sort keys on request", async () => {
      expect(await names({})).toEqual(["alpha", "bravo", "charlie"]);
      expect(await names({ sort: "NAME_DESC" })).toEqual(["charlie", "bravo", "alpha"]);
      expect(await names({ sort: "CREATED_DESC" })).toEqual(["bravo", "alpha", "charlie"]);
    });

    it("filters by name", async () => {
      expect(await names({ automations: { name: { any_: ["bravo", "charlie", "delta"] } } })).toEqual(["bravo", "charlie"]);
      expect(await names({ automations: { name: { any_: [] } } })).toEqual([]);
    });

    it("filters by tags with all_, any_ and is_null_", async () => {
      expect(await names({ automations: { tags: { all_: ["ops", "etl"] } } })).toEqual(["alpha"]);
      expect(await names({ automations: { tags: { any_: ["ops"] } } })).toEqual(["alpha", "charlie"]);
      expect(await names({ automations: { tags: { is_null_: true } } })).toEqual(["bravo"]);
      expect(await names({ automations: { tags: { operator: "or_", all_: ["etl"], is_null_: true } } })).toEqual(["alpha", "bravo"]);
    });

    it("joins sub-filters with the filter's operator", async () => {
      const filter = { operator: "or_", name: { any_: ["charlie"] }, tags: { is_null_: true } };
      expect(await names({ automations: filter })).toEqual(["bravo", "charlie"]);
      expect(await names({ automations: { ...filter, operator: "and_" } })).toEqual([]);
    });

    it("filters by creation time", async () => {
      expect(await names({ automations: { created: { before_: "2000-01-01T00:00:00Z" } } })).toEqual([]);
      expect(await names({ automations: { created: { before_: new Date(Date.now() + 60_000).toISOString() } } })).toEqual(["alpha", "bravo", "charlie"]);
    });

    it("pages with offset and limit, refusing a limit above the server's maximum", async () => {
      expect(await names({ offset: 1, limit: 1 })).toEqual(["bravo"]);
      const refused = await api.post<ValidationError>("/automations/filter", { limit: 201 });
      expect(refused.status).toBe(422);
      expect(refused.body.exception_detail[0]).toMatchObject({ loc: ["body", "limit"] });
    });

    it("counts every automation of the workspace", async () => {
      expect(await api.post("/automations/count")).toMatchObject({ status: 200, body: 3 });
    });
  });

  describe("related and owned resources", () => {
    const deploymentId = randomUUID();
    const resource = `prefect.deployment.${deploymentId}`;

    async function related(resourceId = resource): Promise<string[]> {
      const response = await api.get<Automation[]>(`/automations/related-to/${resourceId}`);
      expect(response.status).toBe(200);
      return response.body.map((automation) => automation.name);
    }

    it("relates an automation to the deployments its run-deployment actions select, and to its owner", async () => {
      await create({ name: "runs-it", actions: [{ type: "run-deployment", deployment_id: deploymentId }] });
      await create({ name: "owned", owner_resource: resource });
      await create({ name: "pauses-it", actions: [{ type: "pause-deployment", deployment_id: deploymentId }] });
      await create({ name: "runs-on-trigger", actions_on_trigger: [{ type: "run-deployment", deployment_id: deploymentId }] });
      await create({ name: "unrelated" });
      expect(await related()).toEqual(["runs-it", "owned"]);
      expect(await related(`prefect.deployment.${randomUUID()}`)).toEqual([]);
    });

    it("follows a PUT that changes the selected deployment, keeping the owner", async () => {
      const other = randomUUID();
      const automation = await create({ name: "moves", owner_resource: "prefect.flow.abc", actions: [{ type: "run-deployment", deployment_id: deploymentId }] });
      await api.put(`/automations/${automation.id}`, body({ name: "moves", actions: [{ type: "run-deployment", deployment_id: other }] }));
      expect(await related()).toEqual([]);
      expect(await related(`prefect.deployment.${other}`)).toEqual(["moves"]);
      expect(await related("prefect.flow.abc")).toEqual(["moves"]);
    });

    it("deletes only the automations a resource owns, answering 202", async () => {
      await create({ name: "owned-1", owner_resource: resource });
      await create({ name: "owned-2", owner_resource: resource, actions: [{ type: "run-deployment", deployment_id: deploymentId }] });
      await create({ name: "related-only", actions: [{ type: "run-deployment", deployment_id: deploymentId }] });
      await create({ name: "owned-elsewhere", owner_resource: `prefect.deployment.${randomUUID()}` });
      expect(await api.delete(`/automations/owned-by/${resource}`)).toMatchObject({ status: 202, body: null });
      const remaining = (await api.post<Automation[]>("/automations/filter", {})).body.map((automation) => automation.name);
      expect(remaining).toEqual(["owned-elsewhere", "related-only"]);
      expect(await related()).toEqual(["related-only"]);
    });
  });
});

// The real server answers /templates/validate with 204 or a 422 `{"error": ...}` body, which
// its own OpenAPI document does not declare (200 / HTTPValidationError); these exchanges are
// checked here against the server's behaviour instead of the contract harness.
describe("template validation", () => {
  let server: DevServer;
  let api: RawApi;
  beforeAll(async () => {
    server = await startDevServer({ port: 0 });
    api = rawApi(server.url);
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(["/templates/validate", "/automations/templates/validate"])("answers 204 for a valid template at %s", async (path) => {
    expect(await api.post(path, JSON.stringify("Flow run {{ flow_run.name }} is {{ flow_run.state.name }}"))).toMatchObject({ status: 204, body: undefined });
  });

  it.each([
    ["a with block", "{% with name = flow_run.name %}{{ name }}{% endwith %}"],
    ["filters and tests", "{{ flow_run|ui_url }} {% if flow_run.state is defined and flow_run.state.name not in ['Completed'] %}!{% endif %}"],
    ["a loop with a condition", "{% for key, value in event.payload|dictsort if value %}{{ key }}={{ value }}{% endfor %}"],
  ])("accepts Jinja syntax such as %s", async (_label, template) => {
    expect((await api.post("/templates/validate", JSON.stringify(template))).status).toBe(204);
  });

  it("answers 422 with the line, message and source of an invalid template", async () => {
    const template = "first line\n{{ flow_run.name }";
    const response = await api.post<{ error: { line: number; message: string; source: string } }>("/templates/validate", JSON.stringify(template));
    expect(response.status).toBe(422);
    expect(response.body.error).toMatchObject({ line: 2, source: template });
    expect(response.body.error.message).toEqual(expect.any(String));
  });

  it("refuses more than 10 for-loops with line 0", async () => {
    const template = "{% for x in y %}{{ x }}{% endfor %}".repeat(11);
    const response = await api.post("/templates/validate", JSON.stringify(template));
    expect(response).toMatchObject({
      status: 422,
      body: { error: { line: 0, message: "Contains 11 for loops. Templates can contain no more than 10 for loops.", source: template } },
    });
  });

  it("refuses a body that is not a string", async () => {
    expect(await api.post("/templates/validate", { template: "x" })).toMatchObject({ status: 422, body: { exception_detail: [{ type: "string_type", loc: ["body"] }] } });
  });
});

describe("job variables of run-deployment actions", () => {
  const store = new Store();
  const workspace = store.workspace("oss");
  const poolName = "k8s";
  const deploymentId = randomUUID();
  workPools(workspace).put({
    id: randomUUID(),
    name: poolName,
    base_job_template: {
      job_configuration: {},
      variables: {
        type: "object",
        required: ["image"],
        properties: { image: { type: "string" }, cpu: { type: "integer", default: 1 }, namespace: { type: "string", default: "default" } },
      },
    },
  } as unknown as WorkPoolEntity);
  deployments(workspace).put({ id: deploymentId, name: "etl", flow_id: randomUUID(), work_pool_name: poolName, job_variables: {} } as unknown as DeploymentEntity);
  const action = (jobVariables: Json): Json => ({ type: "run-deployment", source: "selected", deployment_id: deploymentId, job_variables: jobVariables });

  it("accepts job variables that complete the pool's schema", () => {
    expect(jobVariableProblems(workspace, [action({ image: "python:3.12", cpu: 2 })], false)).toEqual([]);
  });

  it("reports a missing required variable and a wrong type as Prefect words them", () => {
    expect(jobVariableProblems(workspace, [action({ cpu: 2 })], false)).toEqual(["Validation failed. Failure reason: 'image' is a required property"]);
    expect(jobVariableProblems(workspace, [action({ image: 5 })], false)).toEqual(["Validation failed for field 'image'. Failure reason: 5 is not of type 'string'"]);
  });

  it("looks up the deployment of empty job variables on update only", () => {
    const missing = { ...action({}), deployment_id: randomUUID() };
    expect(jobVariableProblems(workspace, [missing], false)).toEqual([]);
    expect(() => jobVariableProblems(workspace, [missing], true)).toThrow("Deployment not found.");
  });
});
