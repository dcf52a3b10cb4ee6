// Offline check of the Kubernetes manifests: reads what
// `kubectl kustomize deploy/k8s` renders (stdin), validates every document
// against the Kubernetes OpenAPI schema of its kind (kubernetes-models, no
// cluster needed), then holds the platform's own rules: every container has
// requests and limits, readiness and liveness probes, and runs as non-root;
// network policies deny by default and let only the platform's callers in.
// Prints one line per problem and exits 1 when there is any.
import { readFileSync } from "node:fs";
import yaml from "js-yaml";

const problems = [];
const documents = yaml.loadAll(readFileSync(0, "utf8")).filter(Boolean);

async function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  const path = group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
  try {
    const module = await import(path);
    return module[kind];
  } catch {
    return undefined;
  }
}

function checkPodSpec(name, pod) {
  if (!pod?.securityContext?.runAsNonRoot) problems.push(`${name}: pod does not set runAsNonRoot`);
  for (const container of pod?.containers ?? []) {
    const where = `${name}/${container.name}`;
    for (const kind of ["requests", "limits"]) {
      const set = container.resources?.[kind] ?? {};
      if (!set.cpu || !set.memory) problems.push(`${where}: no cpu and memory ${kind}`);
    }
    for (const probe of ["readinessProbe", "livenessProbe"]) {
      if (!container[probe]) problems.push(`${where}: no ${probe}`);
    }
    if (container.securityContext?.allowPrivilegeEscalation !== false) {
      problems.push(`${where}: allowPrivilegeEscalation is not false`);
    }
  }
}

const kinds = new Map();
for (const document of documents) {
  const name = `${document.kind}/${document.metadata?.name}`;
  kinds.set(document.kind, (kinds.get(document.kind) ?? 0) + 1);
  const Model = await modelFor(document.apiVersion, document.kind);
  if (!Model) {
    problems.push(`${name}: no schema for ${document.apiVersion} ${document.kind}`);
    continue;
  }
  // kustomize wraps a generated Secret's base64 at 70 columns, and the API
  // server's decoder (Go's base64) skips the line breaks; the schema's
  // "byte" format does not, so they are taken out before it looks.
  if (document.kind === "Secret" && document.data) {
    for (const key of Object.keys(document.data)) document.data[key] = document.data[key].replace(/\s+/g, "");
  }
  try {
    new Model(document).validate();
  } catch (error) {
    problems.push(`${name}: ${error.message.replace(/\s+/g, " ")}`);
  }
  if (["Deployment", "StatefulSet"].includes(document.kind)) {
    checkPodSpec(name, document.spec?.template?.spec);
  }
}

// Who may reach whom (NetworkPolicy): nothing by default, then only these,
// on the port each serves its clients on (metrics ports are apart).
const mayReach = {redis: ["auth", "connector", "core"], "psp-mock": ["connector"],
                  auth: ["gateway"], core: ["gateway"]};
const servicePort = {redis: 6379, "psp-mock": 50053, auth: 50051, core: 50052};
// Whether a rule's ports (none: every port) take in `port`.
function opens(rule, port) {
  if (!rule.ports?.length) return true;
  return rule.ports.some((p) => p.port === undefined ||
    (p.endPort ? p.port <= port && port <= p.endPort : p.port === port));
}
const policies = documents.filter((d) => d.kind === "NetworkPolicy");
const denyAll = policies.some((p) => Object.keys(p.spec?.podSelector ?? {}).length === 0 &&
  (p.spec?.policyTypes ?? []).includes("Ingress") && !(p.spec?.ingress?.length));
if (!denyAll) problems.push("NetworkPolicy: no default deny of ingress");
function names(selector) {
  if (selector?.matchLabels?.["app.kubernetes.io/name"]) return [selector.matchLabels["app.kubernetes.io/name"]];
  const expression = (selector?.matchExpressions ?? []).find((e) => e.key === "app.kubernetes.io/name" && e.operator === "In");
  return expression ? expression.values : null;  // null: any pod
}
for (const [target, allowed] of Object.entries(mayReach)) {
  const sources = new Set();
  for (const policy of policies) {
    if (!(names(policy.spec?.podSelector) ?? [target]).includes(target)) continue;
    for (const rule of policy.spec?.ingress ?? []) {
      if (!opens(rule, servicePort[target])) continue;
      for (const peer of rule.from ?? [{podSelector: {}, any: true}]) {
        const from = peer.podSelector && !peer.namespaceSelector && !peer.ipBlock ? names(peer.podSelector) : null;
        for (const name of from ?? ["anyone"]) sources.add(name);
      }
    }
  }
  const extra = [...sources].filter((s) => !allowed.includes(s));
  if (extra.length) problems.push(`NetworkPolicy: ${target} is reachable from ${extra.join(", ")}`);
  if (sources.size === 0) problems.push(`NetworkPolicy: nothing may reach ${target}`);
}

if (documents.length === 0) problems.push("no documents on stdin");
for (const problem of problems) console.error(`k8s: ${problem}`);
if (problems.length > 0) process.exit(1);
const summary = [...kinds].map(([kind, count]) => `${count} ${kind}`).join(", ");
console.log(`k8s: ${documents.length} documents valid (${summary})`);
