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
const redisPeers = ["auth", "connector", "core", "redis", "redis-sentinel"];
const mayReach = {redis: redisPeers, "redis-sentinel": redisPeers, "psp-mock": ["connector"],
                  auth: ["gateway"], core: ["gateway"]};
const servicePort = {redis: 6379, "redis-sentinel": 26379, "psp-mock": 50053, auth: 50051,
                     core: 50052};
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

// Scaling out (issue 14): the gRPC services are headless, so that every
// pod gets calls; every Deployment that serves traffic with more than one
// replica rolls with no pod lost before its successor is ready, waits in
// preStop for the endpoints to drop it, has a grace period that holds
// the wait and the drain, and a PodDisruptionBudget; core and the gateway
// scale on CPU.
const byKind = (kind) => documents.filter((d) => d.kind === kind);
for (const name of ["auth", "core", "psp-mock"]) {
  const service = byKind("Service").find((d) => d.metadata?.name === name);
  if (service?.spec?.clusterIP !== "None") problems.push(`Service/${name}: not headless (clusterIP: None)`);
}
const selects = (selector, name) => selector?.matchLabels?.["app.kubernetes.io/name"] === name;
for (const deployment of byKind("Deployment")) {
  const name = deployment.metadata?.name;
  if ((deployment.spec?.replicas ?? 1) < 2) continue;
  const rolling = deployment.spec?.strategy?.rollingUpdate;
  if (deployment.spec?.strategy?.type !== "RollingUpdate" || rolling?.maxUnavailable !== 0) {
    problems.push(`Deployment/${name}: not a rolling update with maxUnavailable 0`);
  }
  if (!byKind("PodDisruptionBudget").some((p) => selects(p.spec?.selector, name))) {
    problems.push(`Deployment/${name}: no PodDisruptionBudget`);
  }
  const pod = deployment.spec?.template?.spec;
  const serves = (pod?.containers ?? []).some((c) => (c.ports ?? []).some((p) => p.name !== "metrics"));
  if (!serves) continue;
  for (const container of pod?.containers ?? []) {
    const wait = Number(container.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
    if (!wait) problems.push(`Deployment/${name}: ${container.name} has no preStop wait`);
    // The programs drain for SHUTDOWN_GRACE_MS (5 s by default).
    if ((pod.terminationGracePeriodSeconds ?? 30) < wait + 5) {
      problems.push(`Deployment/${name}: the grace period does not hold the preStop wait and the drain`);
    }
  }
}
for (const name of ["core", "gateway"]) {
  if (!byKind("HorizontalPodAutoscaler").some((h) => h.spec?.scaleTargetRef?.name === name)) {
    problems.push(`Deployment/${name}: no HorizontalPodAutoscaler`);
  }
}

// Redis that fails over: a primary and two replicas (a promoted replica
// still has one to confirm writes), three Sentinels, each set with a
// PodDisruptionBudget; the programs find the primary through the
// Sentinels, and core waits for a replica.
const statefulSet = (name) => byKind("StatefulSet").find((d) => d.metadata?.name === name);
if ((statefulSet("redis")?.spec?.replicas ?? 1) < 3) {
  problems.push("StatefulSet/redis: fewer than a primary and two replicas");
}
if ((statefulSet("redis-sentinel")?.spec?.replicas ?? 0) < 3) {
  problems.push("StatefulSet/redis-sentinel: fewer than three Sentinels");
}
for (const name of ["redis", "redis-sentinel"]) {
  if (!byKind("PodDisruptionBudget").some((p) => selects(p.spec?.selector, name))) {
    problems.push(`StatefulSet/${name}: no PodDisruptionBudget`);
  }
}
const envOf = (name) => (byKind("Deployment").find((d) => d.metadata?.name === name)
  ?.spec?.template?.spec?.containers?.[0]?.env ?? []);
for (const name of ["auth", "core", "connector"]) {
  if (!envOf(name).some((e) => e.name === "REDIS_SENTINELS")) {
    problems.push(`Deployment/${name}: not told the Sentinels (REDIS_SENTINELS)`);
  }
}
const setEnvOf = (name) => (statefulSet(name)?.spec?.template?.spec?.containers?.[0]?.env ?? []);
for (const [name, env] of [["redis", setEnvOf("redis")], ["redis-sentinel", setEnvOf("redis-sentinel")],
  ["core", envOf("core")], ["auth", envOf("auth")], ["connector", envOf("connector")]]) {
  if (!env.some((e) => e.name === "RES_OPTIONS")) {
    problems.push(`${name}: resolves with glibc's 5-s DNS retry (no RES_OPTIONS)`);
  }
}
// A StatefulSet pod keeps its name, not its address, when it is replaced:
// the servers and Sentinels know each other by name there (by address, a
// replaced server would come back as a stranger to the Sentinels).
for (const name of ["redis", "redis-sentinel"]) {
  if (!setEnvOf(name).some((e) => e.name === "REDIS_KNOWN_BY" && e.value === "name")) {
    problems.push(`StatefulSet/${name}: servers known by address, which a replaced pod does not keep`);
  }
}
if (!envOf("core").some((e) => e.name === "REDIS_WAIT_REPLICAS" && Number(e.value) >= 1)) {
  problems.push("Deployment/core: answers before the replica has the transaction");
}

if (documents.length === 0) problems.push("no documents on stdin");
for (const problem of problems) console.error(`k8s: ${problem}`);
if (problems.length > 0) process.exit(1);
const summary = [...kinds].map(([kind, count]) => `${count} ${kind}`).join(", ");
console.log(`k8s: ${documents.length} documents valid (${summary})`);
