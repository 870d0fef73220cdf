import { describe, expect, it } from "vitest";
import { TerraformOutput, TerraformVariable, Testing, type IConstruct, type TerraformStack } from "../../cdk.js";
import type { DurationLike } from "../../constructs/duration.js";
import type { IDeployment, IWorkPool, IWorkQueue } from "../../constructs/refs.js";
import { SecretValue } from "../../constructs/secret-value.js";
import { newStack, synth as synthJson } from "../../constructs/synth.testing.js";
import { Deployment as DeploymentL1 } from "../../generated/prefect/deployment/index.js";
import { Flow as FlowL1 } from "../../generated/prefect/flow/index.js";
import { WorkPool as WorkPoolL1 } from "../../generated/prefect/work-pool/index.js";
import { WorkQueue as WorkQueueL1 } from "../../generated/prefect/work-queue/index.js";
import { Block } from "../block/construct.js";
import { Action, Trigger } from "./builders.js";
import { Automation } from "./construct.js";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const UUID = "3f0c2a51-7d8e-4b6a-9c1d-2e3f4a5b6c7d";

/** A stack with a provider, a flow and two deployments (L1, so this suite stands alone). */
function setup() {
  const stack = newStack();
  const flow = new FlowL1(stack, "etl", { name: "etl" });
  const deployment = (id: string): IDeployment => {
    const l1 = new DeploymentL1(stack, id, { name: id, flowId: flow.id });
    return { deploymentId: l1.id, deploymentName: l1.name };
  };
  return { stack, nightly: deployment("nightly"), cleanup: deployment("cleanup") };
}

const synth = (stack: TerraformStack): Json => synthJson(stack) as Json;

function automationJson(stack: TerraformStack, id = "alert"): Json {
  return synth(stack).resource.prefect_automation[id] as Json;
}

/** The problems a construct reports at synth. */
const problems = (construct: IConstruct): string[] => construct.node.validate();

const failed = (nightly: IDeployment) => Trigger.flowRunState(nightly, ["Failed"]);

describe("Automation", () => {
  describe("synthesizes", () => {
    it("a flow run state trigger on a deployment of the stack, matched through jsonencode with a reference to its id", () => {
      const { stack, nightly, cleanup } = setup();
      new Automation(stack, "alert", {
        name: "nightly failed",
        description: "Clean up after a failed nightly run",
        trigger: Trigger.flowRunState(nightly, ["Failed", "Crashed"]),
        actions: [Action.runDeployment(cleanup, { parameters: { failed_run: "{{ event.resource.id }}", name: "{{ event.resource.name }}" } })],
      });
      expect(automationJson(stack)).toEqual({
        name: "nightly failed",
        description: "Clean up after a failed nightly run",
        trigger: {
          event: {
            posture: "Reactive",
            expect: ["prefect.flow-run.Failed", "prefect.flow-run.Crashed"],
            match: '{"prefect.resource.id":"prefect.flow-run.*"}',
            match_related: '${jsonencode({"prefect.resource.role" = "deployment", "prefect.resource.id" = "prefect.deployment.${prefect_deployment.nightly.id}"})}',
            for_each: ["prefect.resource.id"],
          },
        },
        actions: [
          {
            type: "run-deployment",
            deployment_id: "${prefect_deployment.cleanup.id}",
            parameters: '{"failed_run":"{{ event.resource.id }}","name":"{{ event.resource.name }}"}',
          },
        ],
      });
    });

    it("a flow run state trigger on several deployments as a list of ids, with the options", () => {
      const { stack, nightly, cleanup } = setup();
      new Automation(stack, "alert", {
        name: "runs stuck",
        trigger: Trigger.flowRunState([nightly, cleanup], ["Completed"], { posture: "Proactive", within: { hours: 25 }, threshold: 2 }),
        actions: [Action.doNothing()],
      });
      const event = automationJson(stack).trigger.event as Json;
      expect(event).toMatchObject({ posture: "Proactive", within: 90_000, threshold: 2, expect: ["prefect.flow-run.Completed"] });
      expect(event.match_related).toBe(
        '${jsonencode({"prefect.resource.role" = "deployment", "prefect.resource.id" = ["prefect.deployment.${prefect_deployment.nightly.id}", "prefect.deployment.${prefect_deployment.cleanup.id}"]})}',
      );
    });

    it("deploymentLate as the Late state of the deployment's flow runs", () => {
      const { stack, nightly } = setup();
      new Automation(stack, "alert", { name: "late", trigger: Trigger.deploymentLate(nightly), actions: [Action.cancelFlowRun()] });
      expect(automationJson(stack).trigger.event.expect).toEqual(["prefect.flow-run.Late"]);
    });

    it("an event trigger with every option, durations in seconds and JSON documents as plain JSON strings", () => {
      const { stack } = setup();
      new Automation(stack, "alert", {
        name: "orders",
        enabled: false,
        trigger: Trigger.event({
          posture: "Reactive",
          expect: ["shop.order.created"],
          after: ["shop.opened"],
          forEach: ["prefect.resource.id"],
          match: { "prefect.resource.id": ["shop.order.*", "shop.cart.*"] },
          matchRelated: [{ "prefect.resource.role": "shop" }, { "prefect.resource.role": "customer" }],
          threshold: 10,
          within: { minutes: 1, seconds: 30 },
        }),
        actions: [Action.doNothing()],
      });
      const automation = automationJson(stack);
      expect(automation.enabled).toBe(false);
      expect(automation.trigger).toEqual({
        event: {
          posture: "Reactive",
          expect: ["shop.order.created"],
          after: ["shop.opened"],
          for_each: ["prefect.resource.id"],
          match: '{"prefect.resource.id":["shop.order.*","shop.cart.*"]}',
          match_related: '[{"prefect.resource.role":"shop"},{"prefect.resource.role":"customer"}]',
          threshold: 10,
          within: 90,
        },
      });
    });

    it.each<[string, DurationLike, number]>([
      ["a number of seconds", 45, 45],
      ["minutes", { minutes: 5 }, 300],
      ["hours and minutes", { hours: 1, minutes: 30 }, 5400],
      ["days", { days: 1 }, 86_400],
    ])("a window given as %s", (_name, within, seconds) => {
      const { stack } = setup();
      new Automation(stack, "alert", { name: "x", trigger: Trigger.event({ expect: ["a"], within }), actions: [Action.doNothing()] });
      expect(automationJson(stack).trigger.event.within).toBe(seconds);
    });

    it("a metric trigger with Prefect's five-minute defaults for range and firing_for", () => {
      const { stack, nightly } = setup();
      new Automation(stack, "alert", {
        name: "slow",
        trigger: Trigger.metric({ metric: "duration", operator: ">", threshold: 600, matchRelated: { "prefect.resource.id": `prefect.deployment.${nightly.deploymentId}` } }),
        actions: [Action.doNothing()],
      });
      expect(automationJson(stack).trigger).toEqual({
        metric: {
          match_related: '${jsonencode({"prefect.resource.id" = "prefect.deployment.${prefect_deployment.nightly.id}"})}',
          metric: { name: "duration", operator: ">", threshold: 600, range: 300, firing_for: 300 },
        },
      });
    });

    it.each<[string, number | "any" | "all"]>([
      ["a number", 2],
      ['"any"', "any"],
      ['"all"', "all"],
    ])("a compound trigger whose require is %s (a dynamic value, written as it is)", (_name, require) => {
      const { stack, nightly, cleanup } = setup();
      new Automation(stack, "alert", {
        name: "both",
        trigger: Trigger.compound({ require, within: { hours: 1 }, triggers: [failed(nightly), failed(cleanup), Trigger.event({ expect: ["x"] })] }),
        actions: [Action.doNothing()],
      });
      const compound = automationJson(stack).trigger.compound as Json;
      expect(compound.require).toBe(require);
      expect(compound.within).toBe(3600);
      expect(compound.triggers).toHaveLength(3);
      expect(compound.triggers[0].event.expect).toEqual(["prefect.flow-run.Failed"]);
    });

    it("a sequence trigger with an event and a metric trigger", () => {
      const { stack, nightly } = setup();
      new Automation(stack, "alert", {
        name: "seq",
        trigger: Trigger.sequence({ triggers: [failed(nightly), Trigger.metric({ metric: "successes", operator: "<", threshold: 1, range: 600, firingFor: { minutes: 10 } })] }),
        actions: [Action.doNothing()],
      });
      const sequence = automationJson(stack).trigger.sequence as Json;
      expect(sequence.within).toBeUndefined();
      expect(sequence.triggers[1]).toEqual({ metric: { metric: { name: "successes", operator: "<", threshold: 1, range: 600, firing_for: 600 } } });
    });

    it.each<[string, (refs: { nightly: IDeployment; pool: IWorkPool; queue: IWorkQueue; slack: Block; hook: Block; other: Automation }) => Action, Json]>([
      ["do-nothing", () => Action.doNothing(), { type: "do-nothing" }],
      ["run-deployment", ({ nightly }) => Action.runDeployment(nightly, { jobVariables: { image: "etl:2" } }), { type: "run-deployment", deployment_id: "${prefect_deployment.nightly.id}", job_variables: '{"image":"etl:2"}' }],
      ["run-deployment (inferred)", () => Action.runDeployment("inferred", { parameters: { x: 1 } }), { type: "run-deployment", source: "inferred", parameters: '{"x":1}' }],
      ["pause-deployment", ({ nightly }) => Action.pauseDeployment(nightly), { type: "pause-deployment", deployment_id: "${prefect_deployment.nightly.id}" }],
      ["resume-deployment", () => Action.resumeDeployment("inferred"), { type: "resume-deployment", source: "inferred" }],
      ["cancel-flow-run", () => Action.cancelFlowRun(), { type: "cancel-flow-run" }],
      ["change-flow-run-state", () => Action.changeFlowRunState({ state: "FAILED", name: "TimedOut", message: "took too long" }), { type: "change-flow-run-state", state: "FAILED", name: "TimedOut", message: "took too long" }],
      ["suspend-flow-run", () => Action.suspendFlowRun(), { type: "suspend-flow-run" }],
      ["resume-flow-run", () => Action.resumeFlowRun(), { type: "resume-flow-run" }],
      ["delete-flow-run", () => Action.deleteFlowRun(), { type: "delete-flow-run" }],
      ["pause-work-queue", ({ queue }) => Action.pauseWorkQueue(queue), { type: "pause-work-queue", work_queue_id: "${prefect_work_queue.urgent.id}" }],
      ["resume-work-queue", () => Action.resumeWorkQueue("inferred"), { type: "resume-work-queue", source: "inferred" }],
      ["pause-work-pool", ({ pool }) => Action.pauseWorkPool(pool), { type: "pause-work-pool", work_pool_id: "${prefect_work_pool.pool.id}" }],
      ["resume-work-pool", ({ pool }) => Action.resumeWorkPool(pool), { type: "resume-work-pool", work_pool_id: "${prefect_work_pool.pool.id}" }],
      ["pause-automation", ({ other }) => Action.pauseAutomation(other), { type: "pause-automation", automation_id: "${prefect_automation.other.id}" }],
      ["resume-automation", () => Action.resumeAutomation("inferred"), { type: "resume-automation", source: "inferred" }],
      ["send-notification", ({ slack }) => Action.sendNotification(slack, { subject: "{{ flow.name }} failed", body: "{{ flow_run.name }}" }), { type: "send-notification", block_document_id: "${prefect_block.slack.id}", subject: "{{ flow.name }} failed", body: "{{ flow_run.name }}" }],
      ["call-webhook (string payload)", ({ hook }) => Action.callWebhook(hook, { payload: "{{ event.id }}" }), { type: "call-webhook", block_document_id: "${prefect_block.hook.id}", payload: "{{ event.id }}" }],
      ["call-webhook (object payload)", ({ hook }) => Action.callWebhook(hook, { payload: { id: "{{ event.id }}", n: 1 } }), { type: "call-webhook", block_document_id: "${prefect_block.hook.id}", payload: '{"id":"{{ event.id }}","n":1}' }],
    ])("the %s action with the official attribute names", (_name, build, expected) => {
      const { stack, nightly } = setup();
      const poolL1 = new WorkPoolL1(stack, "pool", { name: "pool" });
      const queueL1 = new WorkQueueL1(stack, "urgent", { name: "urgent", workPoolName: poolL1.name });
      const pool: IWorkPool = { workPoolName: poolL1.name, workPoolId: poolL1.id };
      const queue: IWorkQueue = { workPoolName: poolL1.name, workQueueName: queueL1.name, workQueueId: queueL1.id };
      const slack = Block.slackWebhook(stack, "slack", { name: "slack", url: SecretValue.unsafePlainText("https://hooks.slack.com/x") });
      const hook = Block.webhook(stack, "hook", { name: "hook", url: SecretValue.unsafePlainText("https://example.com/hook") });
      const other = new Automation(stack, "other", { name: "other", trigger: failed(nightly), actions: [Action.doNothing()] });
      new Automation(stack, "alert", { name: "x", trigger: failed(nightly), actions: [build({ nightly, pool, queue, slack, hook, other })] });
      expect(automationJson(stack).actions).toEqual([expected]);
    });

    it("a call-webhook object payload holding a reference with jsonencode", () => {
      const { stack, nightly } = setup();
      const hook = Block.webhook(stack, "hook", { name: "hook", url: SecretValue.unsafePlainText("https://example.com/hook") });
      new Automation(stack, "alert", { name: "x", trigger: failed(nightly), actions: [Action.callWebhook(hook, { payload: { deployment: nightly.deploymentId } })] });
      expect(automationJson(stack).actions[0].payload).toBe('${jsonencode({"deployment" = prefect_deployment.nightly.id})}');
    });

    it("actions added later, on trigger and on resolve, in their own lists", () => {
      const { stack, nightly, cleanup } = setup();
      const automation = new Automation(stack, "alert", { name: "x", trigger: failed(nightly), actionsOnResolve: [Action.resumeDeployment(nightly)] });
      automation.addAction(Action.runDeployment(cleanup), Action.cancelFlowRun());
      automation.addActionOnTrigger(Action.pauseDeployment(nightly));
      automation.addActionOnResolve(Action.doNothing());
      const json = automationJson(stack);
      expect(json.actions.map((action: Json) => action.type)).toEqual(["run-deployment", "cancel-flow-run"]);
      expect(json.actions_on_trigger).toEqual([{ type: "pause-deployment", deployment_id: "${prefect_deployment.nightly.id}" }]);
      expect(json.actions_on_resolve.map((action: Json) => action.type)).toEqual(["resume-deployment", "do-nothing"]);
    });

    it("references to objects managed elsewhere as the ids given", () => {
      const { stack, nightly } = setup();
      const other = Automation.fromAutomationId(stack, "Other", UUID);
      const oncall = Block.fromBlockId(stack, "Oncall", "0c6b1f9e-3c1a-4a8e-9f7d-2b5e8c4d1a90");
      new Automation(stack, "alert", { name: "x", trigger: failed(nightly), actions: [Action.pauseAutomation(other), Action.sendNotification(oncall, { body: "b" })] });
      expect(automationJson(stack).actions).toEqual([
        { type: "pause-automation", automation_id: UUID },
        { type: "send-notification", block_document_id: "0c6b1f9e-3c1a-4a8e-9f7d-2b5e8c4d1a90", body: "b" },
      ]);
    });

    it("exposes its id and name as references", () => {
      const { stack, nightly } = setup();
      const automation = new Automation(stack, "alert", { name: "x", trigger: failed(nightly), actions: [Action.doNothing()] });
      new TerraformOutput(stack, "id", { value: automation.automationId });
      new TerraformOutput(stack, "name", { value: automation.automationName });
      expect(synth(stack).output).toEqual({ id: { value: "${prefect_automation.alert.id}" }, name: { value: "${prefect_automation.alert.name}" } });
    });

    it("accepts window and threshold values that are variables", () => {
      const { stack } = setup();
      const window = new TerraformVariable(stack, "window", { type: "number" });
      new Automation(stack, "alert", { name: "x", trigger: Trigger.event({ expect: ["a"], within: window.numberValue, threshold: window.numberValue }), actions: [Action.doNothing()] });
      expect(automationJson(stack).trigger.event).toMatchObject({ within: "${var.window}", threshold: "${var.window}" });
    });
  });

  describe("validates at synth", () => {
    /** One automation of a fresh stack built from `props`; its problems. */
    function problemsFor(build: (refs: ReturnType<typeof setup>) => ConstructorParameters<typeof Automation>[2]): string[] {
      const refs = setup();
      return problems(new Automation(refs.stack, "alert", build(refs)));
    }

    it.each<[string, (refs: ReturnType<typeof setup>) => ConstructorParameters<typeof Automation>[2], RegExp]>([
      // The kind's rules (the engine's own).
      ["a blank name", ({ nightly }) => ({ name: " ", trigger: failed(nightly) }), /^name: is " "; give the automation a name that is not blank$/],
      ["an unknown posture", () => ({ name: "x", trigger: Trigger.event({ posture: "Sideways" as never }) }), /^trigger\.event\.posture: "Sideways" is not a posture; use one of "Reactive", "Proactive"$/],
      ["a threshold under 1", () => ({ name: "x", trigger: Trigger.event({ threshold: 0 }) }), /^trigger\.event\.threshold: is 0; use a whole number of events, 1 or more$/],
      ["a fractional threshold", () => ({ name: "x", trigger: Trigger.event({ threshold: 1.5 }) }), /^trigger\.event\.threshold: is 1\.5; use a whole number of events/],
      ["a negative window", () => ({ name: "x", trigger: Trigger.event({ within: -5 }) }), /^trigger\.event\.within: is -5; use a whole number of seconds, 0 or more$/],
      ["a fractional window", () => ({ name: "x", trigger: Trigger.event({ within: { minutes: 0.01 } }) }), /^trigger\.event\.within: is 0\.6; use a whole number of seconds/],
      ["a Proactive window under 10 seconds", ({ nightly }) => ({ name: "x", trigger: Trigger.flowRunState(nightly, ["Completed"], { posture: "Proactive", within: 5 }) }), /^trigger\.event\.within: is 5 seconds; a Proactive trigger waits at least 10 seconds/],
      ["a label matching a number", () => ({ name: "x", trigger: Trigger.event({ match: { "prefect.resource.id": 7 as never } }) }), /^trigger\.event\.match: label "prefect\.resource\.id" is 7; a label matches a string or a list of strings/],
      ["a related label matching an object", () => ({ name: "x", trigger: Trigger.event({ matchRelated: [{ a: "b" }, { c: {} as never }] }) }), /^trigger\.event\.matchRelated: item 1: label "c" is \{\}/],
      ["an unknown metric", () => ({ name: "x", trigger: Trigger.metric({ metric: "latency" as never, operator: ">", threshold: 1 }) }), /^trigger\.metric\.metric\.name: "latency" is not a metric; use one of "lateness", "duration", "successes"$/],
      ["an unknown metric operator", () => ({ name: "x", trigger: Trigger.metric({ metric: "lateness", operator: "==" as never, threshold: 1 }) }), /^trigger\.metric\.metric\.operator: "==" is not an operator/],
      ["a metric range under 5 minutes", () => ({ name: "x", trigger: Trigger.metric({ metric: "lateness", operator: ">", threshold: 1, range: { minutes: 1 } }) }), /^trigger\.metric\.metric\.range: is 60 seconds; Prefect needs at least 300/],
      ["a metric firing_for under 5 minutes", () => ({ name: "x", trigger: Trigger.metric({ metric: "lateness", operator: ">", threshold: 1, firingFor: 299 }) }), /^trigger\.metric\.metric\.firingFor: is 299 seconds; Prefect needs at least 300/],
      ["a compound require above the number of triggers", ({ nightly }) => ({ name: "x", trigger: Trigger.compound({ require: 3, triggers: [failed(nightly), failed(nightly)] }) }), /^trigger\.compound\.require: is 3; use "any", "all" or a whole number from 1 to 2/],
      ["a compound require that is not a count", ({ nightly }) => ({ name: "x", trigger: Trigger.compound({ require: "most" as never, triggers: [failed(nightly)] }) }), /^trigger\.compound\.require: is "most"; use "any", "all" or a whole number from 1 to 1/],
      ["a compound trigger without triggers", () => ({ name: "x", trigger: Trigger.compound({ require: "any", triggers: [] }) }), /^trigger\.compound\.triggers: is empty; a compound trigger needs at least one event or metric trigger$/],
      ["a sequence trigger without triggers", () => ({ name: "x", trigger: Trigger.sequence({ triggers: [] }) }), /^trigger\.sequence\.triggers: is empty; a sequence trigger needs at least one/],
      ["a Proactive window under 10 seconds inside a composite", ({ nightly }) => ({ name: "x", trigger: Trigger.sequence({ triggers: [failed(nightly), Trigger.event({ posture: "Proactive", within: 3 })] }) }), /^trigger\.sequence\.triggers\[1\]\.event\.within: is 3 seconds; a Proactive trigger/],
      ["a state type that does not exist", ({ nightly }) => ({ name: "x", trigger: failed(nightly), actions: [Action.changeFlowRunState({ state: "DONE" as never })] }), /^actions\[0\]\.state: "DONE" is not a state type; use one of "SCHEDULED"/],
      ["a deployment id that is not a UUID", () => ({ name: "x", trigger: Trigger.event(), actions: [Action.runDeployment({ deploymentId: "nightly", deploymentName: "nightly" })] }), /^actions\[0\]\.deploymentId: must be a UUID/],
      ["parameters that are not an object", ({ nightly }) => ({ name: "x", trigger: failed(nightly), actionsOnTrigger: [Action.runDeployment(nightly, { parameters: ["a"] as never })] }), /^actionsOnTrigger\[0\]\.parameters: must be a JSON object, got an array$/],
      ["a block id that is not a UUID", ({ nightly }) => ({ name: "x", trigger: failed(nightly), actionsOnResolve: [Action.sendNotification(Block.fromBlockId(setup().stack, "B", "slack"), { body: "b" })] }), /^actionsOnResolve\[0\]\.blockDocumentId: must be a UUID/],
      // The builders' own rules.
      ["a duration unit that does not exist", () => ({ name: "x", trigger: Trigger.event({ within: { mins: 5 } as never }) }), /^trigger\.event\.within: "mins" is not a unit of time; use days, hours, minutes or seconds/],
      ["an empty duration", () => ({ name: "x", trigger: Trigger.event({ within: {} }) }), /^trigger\.event\.within: is an empty duration/],
      ["a duration part that is not a number", () => ({ name: "x", trigger: Trigger.event({ within: { minutes: "5" as never } }) }), /^trigger\.event\.within: minutes must be a number, got "5"$/],
      ["a duration of the wrong shape", () => ({ name: "x", trigger: Trigger.event({ within: "5m" as never }) }), /^trigger\.event\.within: must be a number of seconds or an object such as \{ minutes: 5 \}, got "5m"$/],
      ["a composite inside a composite", ({ nightly }) => ({ name: "x", trigger: Trigger.compound({ require: "any", triggers: [failed(nightly), Trigger.sequence({ triggers: [failed(nightly)] })] }) }), /^trigger\.compound\.triggers\[1\]: is a sequence trigger; Prefect nests only event and metric triggers in a compound trigger$/],
      ["a composite child that is not a Trigger", () => ({ name: "x", trigger: Trigger.sequence({ triggers: [{} as never] }) }), /^trigger\.sequence\.triggers\[0\]: is not a Trigger/],
      ["a trigger that is not a Trigger", () => ({ name: "x", trigger: { event: {} } as never }), /^trigger: is not a Trigger; build it with Trigger\.event/],
      ["an action that is not an Action", ({ nightly }) => ({ name: "x", trigger: failed(nightly), actions: [Action.doNothing(), { type: "do-nothing" } as never] }), /^actions\[1\]: is not an Action/],
      ["a flow run state trigger without deployments", () => ({ name: "x", trigger: Trigger.flowRunState([], ["Failed"]) }), /^trigger: Trigger\.flowRunState was given no deployment/],
      ["a flow run state trigger without states", ({ nightly }) => ({ name: "x", trigger: Trigger.flowRunState(nightly, []) }), /^trigger: Trigger\.flowRunState was given no state/],
      ["a state name in the wrong case", ({ nightly }) => ({ name: "x", trigger: Trigger.flowRunState(nightly, ["failed"]) }), /^trigger: "failed" is not how Prefect spells the state in its events \(names are case-sensitive\): use "Failed"$/],
      ["a state name that is not one word", ({ nightly }) => ({ name: "x", trigger: Trigger.flowRunState(nightly, ["Timed Out"]) }), /^trigger: "Timed Out" is not a flow run state name/],
      ["a queue known by name only", ({ nightly }) => ({ name: "x", trigger: failed(nightly), actions: [Action.pauseWorkQueue({ workPoolName: "pool", workQueueName: "urgent" })] }), /^actions\[0\]\.workQueueId: the work queue "urgent" of pool "pool" is known by name only, and a "pause-work-queue" action needs its id/],
      ["a pool known by name only", ({ nightly }) => ({ name: "x", trigger: failed(nightly), actions: [Action.resumeWorkPool({ workPoolName: "pool" })] }), /^actions\[0\]\.workPoolId: the work pool "pool" is known by name only, and a "resume-work-pool" action needs its id/],
      ["a notification through a block that cannot notify", ({ stack, nightly }) => ({ name: "x", trigger: failed(nightly), actions: [Action.sendNotification(Block.secret(stack, "s", { name: "s", value: SecretValue.unsafePlainText("x") }), { body: "b" })] }), /^actions\[0\]\.blockDocumentId: the block "test\/s" is a "secret" block, which cannot send notifications/],
      ["a webhook call through a block that is not a webhook", ({ stack, nightly }) => ({ name: "x", trigger: failed(nightly), actions: [Action.callWebhook(Block.slackWebhook(stack, "s", { name: "s", url: SecretValue.unsafePlainText("x") }))] }), /^actions\[0\]\.blockDocumentId: the block "test\/s" is a "slack-webhook" block; call-webhook calls a "webhook" block/],
    ])("refuses %s", (_name, build, message) => {
      const found = problemsFor(build);
      expect(found, found.join("\n")).toHaveLength(1);
      expect(found[0]).toMatch(message);
    });

    it("reports every problem together, naming the construct path", () => {
      const { stack, nightly } = setup();
      new Automation(stack, "alert", {
        name: "",
        trigger: Trigger.compound({ require: 5, within: -1, triggers: [Trigger.flowRunState(nightly, ["failed"]), Trigger.event({ posture: "Proactive", within: { minutes: "x" as never } })] }),
        actions: [Action.changeFlowRunState({ state: "DONE" as never }), Action.pauseWorkPool({ workPoolName: "p" })],
      });
      let message = "";
      try {
        Testing.synth(stack, true);
      } catch (error) {
        message = (error as Error).message;
      }
      const lines = message.split("\n").filter((line) => line.trim().startsWith("[test/alert]"));
      // The kind's rules across attributes (such as `require` against the number of triggers)
      // run once every attribute is valid, as in the engine.
      expect(lines.map((line) => line.trim().replace(/: .*/, ""))).toEqual([
        "[test/alert] trigger.compound.triggers[0]",
        "[test/alert] trigger.compound.triggers[1].event.within",
        "[test/alert] actions[1].workPoolId",
        "[test/alert] name",
        "[test/alert] trigger.compound.within",
        "[test/alert] actions[0].state",
      ]);
      expect(message).toContain('[test/alert] trigger.compound.triggers[0]: "failed" is not how Prefect spells the state');
    });

    it("accepts Jinja templates anywhere a template goes", () => {
      const refs = setup();
      const slack = Block.slackWebhook(refs.stack, "slack", { name: "slack", url: SecretValue.unsafePlainText("x") });
      const automation = new Automation(refs.stack, "alert", {
        name: "{{ not a template }}",
        trigger: failed(refs.nightly),
        actions: [
          Action.runDeployment(refs.cleanup, { parameters: { when: "{{ event.occurred }}", nested: { list: ["{% if x %}a{% endif %}"] } } }),
          Action.sendNotification(slack, { subject: "{{ flow.name }}", body: "{% for r in related %}{{ r.id }}{% endfor %}" }),
        ],
      });
      expect(problems(automation)).toEqual([]);
    });
  });
});
