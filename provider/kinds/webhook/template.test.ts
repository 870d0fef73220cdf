import { describe, expect, it } from "vitest";
import { webhookTemplateProblem } from "./template.js";

describe("webhookTemplateProblem", () => {
  it.each([
    ["a static JSON event", JSON.stringify({ event: "order.created", resource: { "prefect.resource.id": "shop.order" } })],
    ["any JSON document", '{"a": 1}'],
    ["an expression rendering JSON at request time", "{{ body|from_cloud_event(headers) }}"],
    ["JSON with expressions in strings", '{"event": "{{ body.kind }}", "resource": {"prefect.resource.id": "x.{{ body.id }}"}}'],
    ["a dict literal whose closing braces meet", "{{ {'a': {'b': 1}} | tojson }}"],
    ["a closing delimiter inside a quoted string", '{{ "}}" ~ \'%}\' ~ "it\\"s" }}'],
    ["paired blocks with else and elif, whitespace control", '{%- if body.a -%}1{% elif body.b %}2{% else %}{% for x in body.c %}{{ x }}{% else %}none{% endfor %}{%- endif %}'],
    ["an assignment and a block set", "{% set x = 1 %}{% set y %}text{% endset %}{{ x }}{{ y }}"],
    ["markup inside raw and comments", "{% raw %}{{ {% if {% endraw %}{# {% for %} #}{}"],
    ["tags it does not know", "{% do x.update({}) %}{% include 'x' %}{}"],
    ["unicode and newlines", '{\n  "event": "ünïcode ✓",\n  "resource": {"prefect.resource.id": "x"}\n}\n'],
  ])("accepts %s", (_label, template) => {
    expect(webhookTemplateProblem(template)).toBeUndefined();
  });

  it.each([
    ["an empty template", "", /is empty: a webhook template renders the event/],
    ["a blank template", "  \n ", /is empty/],
    ["plain text without markup", "order created", /"order created" has no Jinja markup, so every request renders it unchanged, and it is not JSON/],
    ["broken JSON without markup", '{"event": "x",}', /has no Jinja markup.*not JSON/],
    ["an expression never closed", '{"event": "{{ body.x "}', /opens "\{\{ body.x \\"}" at line 1, column 12 and never closes it with "}}"/],
    ["a statement never closed", "{% if body.a }}", /opens "\{% if body.a }}" at line 1, column 1 and never closes it with "%}"/],
    ["a comment never closed", "{}\n{# note", /opens a comment "\{#" at line 2, column 1 that is never closed with "#}"/],
    ["a block never closed", "{% for x in y %}", /opens \{% for %\} at line 1, column 1 and never closes it with \{% endfor %\}/],
    ["an end without a start", "{}{% endif %}", /has \{% endif %\} at line 1, column 3 without a matching \{% if %\}/],
    ["blocks closed in the wrong order", "{% if a %}\n{% for x in y %}\n{% endif %}{% endfor %}", /has \{% endif %\} at line 3, column 1 where \{% for %\} from line 2, column 1 must be closed first with \{% endfor %\}/],
    ["an else outside if and for", "{{ a }}{% else %}", /has \{% else %\} at line 1, column 8 outside \{% if %\} or \{% for %\}/],
    ["an elif inside a for", "{% for x in y %}{% elif z %}{% endfor %}", /has \{% elif %\} at line 1, column 17 outside \{% if %\}/],
    ["a raw block never closed", "{% raw %}{{ x }}", /opens \{% raw %\} at line 1, column 1 and never closes it with \{% endraw %\}/],
  ])("refuses %s", (_label, template, message) => {
    expect(webhookTemplateProblem(template)).toMatch(message);
  });
});
