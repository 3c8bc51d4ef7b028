// What the words of an incident say, read the way an SRE reads them: which failure they point at (a release,
// a flag, a leak, load, a sick node, a stuck pod, a poisoned cache, someone else's outage, something only the
// owners can fix, a fix already out, nobody knows yet), and what they say about remedies ("do not roll back",
// "the restart did not help"). Pure and deterministic: no model, no network.
//
// Three things change what a cue means, and each is handled here rather than left to a weight:
// - negation in its clause ("no deploy in 3 days", "the release is not the cause", "ruled out the node");
// - time: a change minutes before the first error is evidence, one days ago is evidence against;
// - tense and completion: "rolled back yesterday", "the fix is already rolled out" describe the past, not a cause.

import { HYPOTHESES, HYPOTHESIS_LABEL, type Hypothesis } from "@/lib/recommend/hypotheses";

export { HYPOTHESES, HYPOTHESIS_LABEL, type Hypothesis };

/** Remedies the text can speak about directly (catalog playbook names; others are ignored). */
export type RemedyRef =
  | "rollback-deployment"
  | "restart-deployment"
  | "scale-up-deployment"
  | "cordon-node"
  | "delete-stuck-pod"
  | "clear-cache"
  | "feature-flag-kill-switch"
  | "page-owner"
  | "notify-slack"
  | "verify-recovery"
  | "collect-diagnostics";

export type Cue = { hypothesis: Hypothesis; weight: number; quote: string; why: string };
export type RemedyCue = { playbook: RemedyRef; weight: number; quote: string; why: string };
export type Evidence = { cues: Cue[]; remedies: RemedyCue[] };

// `change`: a change event, weighed by how long before the symptoms it happened. `literal`: the match already
// contains its negation ("was not invalidated" is evidence for a stale cache), so negation does not flip it.
type Rule = { h: Hypothesis; re: RegExp; w: number; why: string; change?: boolean; literal?: boolean };

// Cue rules. `change: true` marks a change event (deploy, flag): its weight depends on how long before the
// symptoms it happened, when the clause says.
const RULES: Rule[] = [
  // a release
  { h: "bad_release", change: true, w: 1.6, why: "a deploy just before", re: /\b(deploy(ed|s|ing)?\b(?! (has|is|does|was not|not))|(the|a|this|today's|last|latest|new) deployment (of|to|at|went|finished|completed|rolled)|rolled out|roll-?out of|releas(ed|ing)\b|new (image|version|build|release)|the release (of|went|is out|was)|release (v?\d|candidate)|upgrad(e|ed|ing) (to|of)|bump(ed)? (to|the)|shipped|went (out|live)|synced (revision|to)|argo ?cd sync(ed)?|helm upgrade|image tag|merged and deployed|promoted to prod(uction)?)\b/ },
  { h: "bad_release", change: true, w: 1.6, why: "a rollout just before", re: /\b(synced (by|via|with|from) argo(cd| cd)?|argo ?cd (app )?[\w-]+ synced|rollout (is )?(done|finished|complete(d)?)|(went|is|was) live (at|on|since)|(promoted|released|shipped|pushed) (v?\d[\w.]*|[\w-]+ v?\d[\w.]*) (to|at|into)|new (replicaset|rs) [\w-]+)/ },
  { h: "bad_release", w: 1.4, why: "only the new version fails", re: /\b((only|all) (the )?(pods|requests|replicas|errors) (from|of|on) the new (rs|replicaset|version|release|image|pods)|from (the )?(new )?(replicaset|rs) [\w-]+ \(v?\d|(pods|replicas) still on v?\d[\w.]* (are |return |serve )?(fine|ok|healthy|200s?|normally)|(old|previous) (version|release|pods) (is |are )?(fine|healthy|ok)|(class|code|module|function|handler|endpoint) (was )?(rewritten|changed|refactored|introduced) in v?\d|column "?[\w_]+"? does not exist|(unknown|missing|unrecognized) (field|column|table|method|symbol|property)|nosuchmethod|classnotfound|migration (that adds it )?(is )?(in|on) (the )?[\w.-]+ branch)/ },
  { h: "bad_release", w: 1.2, why: "errors only on the new version", re: /\b(only (on|in|from) (the )?(new|canary|latest) (pods?|version|replicas?|build)|canary (pods?|replicas?) (are |is )?(fail|error|crash)|since (v\d|version|the (deploy|release|rollout|upgrade))|after (the )?(deploy|release|rollout|upgrade)|new pods? (fail|crash|error)|regression in v?\d)/ },
  { h: "bad_release", w: 0.6, why: "a version named", re: /\bv\d+\.\d+(\.\d+)?\b|\b(revision|commit|sha) [0-9a-f]{6,}\b/ },
  { h: "bad_release", w: 0.8, why: "a failing startup after a change", re: /\b(imagepullbackoff|errimagepull|crash(es|ing)? on (start|boot)|fails? (to start|at startup|on startup)|missing (env|environment variable|config key|migration)|nil pointer|panic:|segfault|unhandled exception|null ?pointer|stack ?trace)\b/ },
  // a flag or config toggle
  { h: "bad_flag", change: true, w: 2.0, why: "a flag changed just before", re: /\b(feature[- ]?flags?|flag [`'"]?[\w.-]+[`'"]?( \([^)]{0,80}\))? (was |is |got )?(enabled|switched|turned|flipped|rolled|ramped|toggled|set|raised|increased|bumped|changed|moved|widened)|(enabled|switched on|turned on|flipped|ramped( up)?|toggled) (the )?(flag|feature|experiment|toggle)|launchdarkly|unleash|flagsmith|split\.io|growthbook|kill[- ]?switch|a\/b test|experiment [`'"]?[\w.-]+[`'"]? (started|enabled|ramped))/ },
  { h: "bad_flag", change: true, w: 2.0, why: "a flag changed just before", re: /\b(flag (service )?audit|(flag|toggle|feature|experiment) [`'"]?[\w.-]+[`'"]? ?(->|→|=>|to) ?(enabled|on|true|\d+ ?%)|[`'"][\w.-]+[`'"] ?(->|→|=>) ?(enabled|on|true|\d+ ?%)|ramped (from )?\d+ ?% ?(->|→|to) ?\d+ ?%|[`'"][\w.-]+[`'"] (was |got )?(flipped|turned|switched|ramped|set|enabled|toggled)( on| to)?|(flipped|toggled|switched) the (toggle|flag|switch))/ },
  { h: "bad_flag", w: 1.2, why: "only the flagged cohort fails", re: /\b((outside|not in) the (\w+ )?(cohort|experiment|variant|rollout)( group)? (are|is) (fine|ok|healthy|unaffected)|enabled for (all|every|everyone)|(cohort|variant|treatment group) (fails?|errors?))/ },
  { h: "bad_flag", w: 1.0, why: "only flagged users affected", re: /\b(enabled for \d+ ?%|\d+ ?% of (users|traffic|customers)|rollout percentage|only (users|customers|requests) (with|in|on) (the )?(flag|experiment|variant|cohort|new (flow|checkout|ui|feature)))/ },
  { h: "bad_flag", change: true, w: 1.2, why: "a config change just before", re: /\b(config(uration)? (change|push|update)|configmap [\w.-]+ (was )?(changed|updated|edited|modified)|changed (the )?(config|configmap|setting|timeout|limit|pool size)|runtime config)\b/ },
  // a leak or a wedged process
  { h: "resource_leak", w: 1.6, why: "memory or connections leaking", re: /\b(memory leak|leak(s|ing|ed)?\b|heap (grows?|growing|growth|usage (climbs?|grows?))|grows? (steadily|linearly|slowly|without bound)|climb(s|ing)? (steadily|slowly|linearly)|since (the |its )?last restart|hours? since (the )?restart|rss (grows?|climbs?)|sawtooth|gc (pauses?|thrash|pressure)|file descriptors?|too many open files|fd (exhaustion|leak)|goroutines? (leak|grow|climb)|thread (leak|exhaustion|pool exhausted)|connection pool (exhausted|leak|saturated|is full)|pool exhausted|(connections?|sessions?) (is |are )?not available|idle in transaction|hikari ?pool|pool (timeout|timed out|wait)|after (the|a) (db|database|network|dns|redis) (blip|failover|restart|hiccup|flap|migration)|stale connections?|cach(es|ed|ing)? dns|dns cache|cache\.ttl ?= ?-1|caches (it|the (address|ip)|addresses) forever|old primary|dead connections?|keeps? connections? to|cached dns|deadlock(ed)?|wedged|hung (process|worker|thread)|stuck (worker|thread|event loop))/ },
  { h: "resource_leak", w: 1.5, why: "memory grows until it is restarted", re: /\b(memory growth|(rss|heap|memory|working set|old gen)( on all \d+ pods)? (is )?(up|growing|grows|climbing|climbs|increasing|creeping)( ~?\d)?|\d+(\.\d+)? ?(mb|mib|gb|gib|kb)\s?\/\s?(h|hr|hour|min|day)|since (they|it|the pods?|the process) (last )?(started|restarted|booted)|gc (time|overhead) (at |is )?\d+ ?%|only (reads?|loads?) (its |the )?(config|configuration|settings|secrets?|certs?|keys?)( \w+)? (at|on) (start|startup|boot))/ },
  { h: "resource_leak", w: 1.4, why: "connections stuck to something gone", re: /\b(close_wait|never evicts?|pool \d+ ?\/ ?\d+ (in use|busy|active)|timeout waiting for (an? )?(idle|free|available) connection|(still|keeps?) (dial|dialing|connect|connecting|pointing|pointed) (to )?(at )?the old (ip|address|master|primary|endpoint|host|node)|pinned to the old|(config|configuration|setting|cert|certificate|secret)s? (is |are )?(only )?(read|loaded) (at|on) (start|startup|boot)|reloads? only on (a )?restart|dead (sockets|connections)|half-open)/ },
  { h: "resource_leak", w: 1.0, why: "a restart helped before", re: /\b(restart(ing)? (it |the pods? |the deployment )?(fixes|fixed|helps|helped|clears|cleared|resolves)|after a restart it|bounc(e|ing) (it|the pods?) (fixes|helps))/ },
  { h: "resource_leak", w: 0.7, why: "OOM kills", re: /\b(oomkilled|oom[- ]?kill(ed|s)?|out of memory|memory (near|at) (its )?limit|container_memory)/ },
  // load
  { h: "capacity", w: 1.6, why: "more traffic than usual", re: /\b(traffic (spike|surge|growth|increase|jump|is up|doubled|tripled)|(spike|surge|increase|growth|jump) in (traffic|requests|load|orders|sign-?ups|users)|load (increase|spike|surge|is up)|requests? per second (up|doubled|tripled|rose)|\d+(\.\d+)? ?x (the )?(normal |usual )?(traffic|load|rps|requests)|(double|triple|twice|three times) the (usual |normal )?(traffic|load)|campaign(?![-\w])|black friday|cyber monday|flash sale|marketing (push|email|blast)|promo(tion)?(?![-\w])|launch (day|event)|peak (hour|season|traffic)|(morning|evening|daily|weekly|lunch|nightly) peak|at (the )?peak|(warm(ing)?|cold) (up )?(their |its |the )?(local )?caches?|cache warm-?up|organic growth|viral(?![-\w])|newsletter(?![-\w]))/ },
  { h: "capacity", w: 1.6, why: "more requests than usual", re: /\b((rps|qps|traffic|requests?|load|throughput|volume|sign-?ups|orders) (jumped|spiked|surged|rose|grew|climbed|doubled|tripled|is up|went up)|(rps|qps|traffic|requests?|request rate|load|orders|sessions|users)[^.;]{0,30}\b\d+(\.\d+)? ?x (the )?(\w+ )?(forecast|normal|usual|baseline|expected|average|avg|typical)|(partner|customer|marketing|app|product) (launch|launched|went live|campaign)|(launched|announced) (its|their|a|the) [\w-]+|more (users|customers|tenants|traffic|requests) than)/ },
  { h: "capacity", w: 1.3, why: "running at its limits", re: /\b(cpu (at |is )?9\d ?%|\d+(-\d+)? ?% of (their|its|the) cpu (limit|request)|static replicas|no hpa|(all|every) (\d+ )?(pods|replicas) (at|near) \d+|cpu limit (reached|hit)|scaled (to|at) (its|the) max)/ },
  { h: "capacity", w: 1.3, why: "saturated or at its ceiling", re: /\b(saturat(ed|ion|ing)|cpu throttl(ed|ing)|throttled|hpa (is )?(maxed|at (its )?max|pinned)|max(imum)? replicas|at max replicas|maxed out|all replicas (busy|at|saturated)|out of capacity|under-?provisioned|not enough (replicas|capacity|workers|pods)|queue (depth|backlog) (grows?|growing|climbs?)|backlog (grows?|growing)|consumer lag (grows?|growing|climbs?)|cpu (at|near|pegged|pinned)|pegged)/ },
  // a sick node
  { h: "node_fault", w: 1.6, why: "a node-level fault", re: /\b(node (is )?(not ?ready|unreachable|flapping|under (disk|memory|pid) pressure)|notready|kubelet (down|stopped|crash|not responding|unhealthy)|kernel (panic|bug|log|oops|error)|dmesg|nic\b|network interface|eth\d|ens\d+|bond\d|transmit errors|receive errors|link (flap|flapping|down)|interface (flap|flapping)|packet (loss|drops) on (the )?node|disk (is )?(failing|failure|errors?|io errors?)|i\/o errors?|smart (errors?|failure|warning)|read-?only file ?system|ext4-fs error|xfs error|raid|degraded array|md\d|ecc (errors?|memory)|memory (errors|dimm)|hardware (fault|failure|error)|clock (skew|drift|out of sync)|ntp|chrony|timex|conntrack (table )?(full|exhausted|limit)|nf_conntrack|instance (retirement|scheduled for retirement)|hypervisor|host (maintenance|failure)|bad (node|host))/ },
  { h: "node_fault", w: 1.2, why: "only pods on one node affected", re: /\b((only|all) (the )?pods on (node |the node |one node |host )|same (sick |bad |failing )?node|on (that|this|one|a single) node|(other|healthy) nodes (are )?(fine|healthy|ok)|siblings on other nodes (run |are )?(fine|healthy|ok)|node-?local|scheduled (back )?on the same node|landed on the same node)/ },
  // a stuck pod
  { h: "stuck_pod", w: 1.6, why: "one pod stuck", re: /\b(stuck (in )?(terminating|containercreating|pending|init(ializing)?|crashloop)|containercreating|sandbox (creation )?(failed|error)|failedcreatepodsandbox|failedmount|failedattachvolume|volume (attach|mount) (failed|timeout|stuck)|multi-attach error|csi (driver )?(error|timeout)|cni (error|plugin|failed)|zombie (pod|container)|finalizers?|evicted pod|orphaned pod|one pod (is )?(stuck|wedged|bad|unhealthy|not ready)|a single pod|only one (pod|replica) (is )?(affected|failing|unhealthy|not ready|stuck))/ },
  { h: "stuck_pod", w: 1.5, why: "one pod is wedged", re: /\b((restarts|errors|failures|problem) (are |is )?isolated to (one|a single) (replica|pod)|corrupted (local )?(emptydir|volume|cache file|state|scratch)|(restarts|errors|failures|timeouts) (are )?concentrated on (one|a single) (replica|pod)|(one|a single) (replica|pod) (is )?(stuck|wedged|hung|hanging|pinned|bad|broken)|requests (are )?hanging on [\w-]+-[a-z0-9]{5}\b|stale (lock|lockfile|checkpoint|pid ?file)|lock held by|the pod (object )?needs to (go|be deleted|be recreated)|(delete|recreate) (the|that|this) pod|only (on )?[\w-]+-[a-z0-9]{5}\b)/ },
  { h: "stuck_pod", w: 1.0, why: "the other replicas are healthy", re: /\b((the )?(other|remaining) (\d+ )?([\w-]+ )?(replicas|pods):? (are )?(all )?(fine|healthy|ok|serving|ready|0\b)|(\d+|two|three|four) of (\d+|three|four|five) (replicas|pods) (are )?(ready|healthy|fine))/ },
  // a poisoned cache
  { h: "cache_poisoning", w: 1.8, why: "stale or wrong cached data", re: /\b(cache (poison(ed|ing)?|is stale|stale|corrupt(ed|ion)?|inconsisten(t|cy)|serv(es|ing) (old|stale|wrong|outdated)|entries (are )?(stale|wrong|bad|corrupt))|stale (cache|cached|entries|data in (the )?cache|prices|content)|cached (error|errors|404|500|5xx|old|stale|wrong|empty|bad) (pages?|responses?|results?|values?|entries|data)?|poisoned|serving (old|stale|outdated|wrong) (data|prices|content|pages?|responses?)|cache (key|keys) (for|with) (the )?(old|previous)|invalidat(e|ion|ed)|cdn (is )?serving|cache hit (ratio|rate) (dropped|jumped|fell)|negative cach)/ },
  { h: "cache_poisoning", literal: true, w: 1.6, why: "cached data never refreshed", re: /\b(not|never|wasn't|weren't|was not|were not|hasn't been|haven't been|without being) (been )?(invalidated|refreshed|purged|evicted|expired|updated|busted)|(from yesterday|old (value|rate|price|version)s?|previous (value|rate|price|version)s?) instead of|instead of (today's|the (new|current|updated|latest))|(ttl|max-age|cache-control)[^.;]{0,30}\b(\d+ ?(h|hours?|d|days?)|24h)/ },
  { h: "cache_poisoning", w: 1.6, why: "errors served from a cache", re: /\b(cached with (status|http|code) ?[45]\d\d|(keys|entries|fragments|pages|objects) (holding|with|containing|storing) (a |an |the )?['"]?(service unavailable|error|5\d\d|stale|old)|(entries|keys|fragments|objects) have a \d+ ?(h|hours?|d|days?|m|min) ttl|x-cache: ?hit|cache[- ]?hits? (serv|return)|(with|using) (a )?cache[- ]?bypass (return|get|succeed)|cached (copy|version|body|page|response)|body (is )?from \d|served from (the )?cache)/ },
  { h: "cache_poisoning", w: 0.8, why: "answers served from a cache", re: /\b(through|from|via|behind) (its|the|a|our) (\w+ )?(cache|cdn|varnish|redis cache|memcached)|(cdn|edge|varnish|cloudfront|fastly) (serv(es|ing)|returns?|cach(es|ed))/ },
  // someone else's outage
  { h: "dependency_outage", w: 1.7, why: "a provider or dependency is down", re: /\b(upstream (is |provider |service |api )?(down|degraded|failing|outage|returning|timing out|timeouts?)|third[- ]party|(status page|statuspage) (reports?|shows?|says|confirms?)|status\.[\w-]+\.(com|io|net|cloud)|aws health|(degraded|partial outage|major outage|service disruption):|provider (reports?|has|is having|outage|incident|degraded)|vendor (outage|incident|is down|reports?)|(aws|amazon|gcp|google cloud|azure|cloudflare|stripe|twilio|adyen|paypal|github|datadog|okta|auth0|sendgrid|mailgun|fastly|akamai|braintree|plaid|segment|salesforce|zendesk|pagerduty|atlassian|openai|anthropic)('s)? (\w+ )?(outage|incident|is down|degraded|degradation|reports?|errors?|status)|(region(al)?|az|availability zone) (outage|failure|degradation)|(aws )?health dashboard|increased (api )?error rates and latencies|(investigating|identified|monitoring) (an? )?(issue|incident) (with|affecting)|in the (us|eu|ap)-(east|west|central|north|south)-\d region|external (api|service|dependency|provider) (is )?(down|failing|degraded|slow|timing out)|partner (api|bank|system) (is )?(down|failing|degraded|unavailable)|carrier (api|network) (is )?(down|degraded))/ },
  { h: "dependency_outage", w: 1.2, why: "a provider answers with errors", re: /\b(aws|amazon( \w+)?|gcp|google|azure|cloudflare|stripe|twilio|adyen|paypal|braintree|plaid|okta|auth0|sendgrid|mailgun|fastly|akamai|psp|payment (service )?provider|acquirer|carrier|bank)\b[^.;]{0,40}\b(http )?(5\d\d|service unavailable|unavailable|internal ?error|slowdown|timeouts?|throttling|errors?)\b|increased (api )?(error rates?|errors|latenc(y|ies))( and latenc(y|ies))? (for|in|with)|\b(us|eu|ap|sa|ca|me|af)-(east|west|central|north|south|northeast|southeast)-\d\b/ },
  { h: "dependency_outage", w: 0.7, why: "calls to a dependency fail", re: /\b(dependency (is )?(down|failing|unavailable)|downstream (is )?(down|failing)|timeouts? (calling|to|from) [\w.-]+ (api|service)|connection refused (to|from|by) [\w.-]+|dns resolution fail)/ },
  { h: "dependency_outage", literal: true, w: -1.2, why: "only this service is affected", re: /\b(other (services|clients|pods|callers|consumers|apps|teams)( \w+)? (resolve|reach|connect|work|are fine|are ok|are healthy|are unaffected|see no)|(only|just) (this|our|the) (service|app|deployment) (is )?(affected|failing|sees? (it|errors)))/ },
  // only the owners can fix it
  { h: "owner_action", w: 1.6, why: "owned by another team", re: /\b((owned|maintained|managed|run|operated) by (the )?[\w-]+( [\w-]+)? team|(another|other|a different|the owning|their) team|platform team|dba(s)?\b|database (team|administrators?)|security team|network team|infra(structure)? team|nobody (on|in) (this|our|the) team|not (ours|our service|owned by us)|outside (our|this team's) (control|ownership)|only (they|the owners?|the [\w-]+ team) can|(needs?|requires?) (a )?(human|decision|the owners?|approval from)|escalat(e|ed|ion) to|call the owners?|owner(s)? must|(the )?[\w-]+ team can (move|switch|fail ?over|fix|change|reroute|redirect|flip|raise|increase|renew|rotate)|from their (console|side|dashboard)|(open|raise|file) (a |an )?(support )?(ticket|case) with|contact (the )?(vendor|provider|support|account manager))/ },
  { h: "owner_action", w: 1.6, why: "an expiring or expired credential", re: /\b((certificate|cert|tls cert(ificate)?|ssl cert(ificate)?) (has )?(expir(es|ed|ing|y)|renewal (failed|failing)|not renewed|will expire)|expir(es|ed|ing) (certificate|cert)|cert-?manager|(api key|token|credential|password|secret|service account key) (has )?(expir(ed|es|ing)|revoked|rotated|invalid)|acme (challenge|order) (failed|failing)|x509)/ },
  { h: "owner_action", w: 1.5, why: "a database only its owners may touch", re: /\b(wal (is )?(filling|growing|accumulat|archiv)|write-ahead log|replication slot|replica(tion)? lag|pg_wal|vacuum|bloat|disk (is )?(full|filling) on (the )?(primary|database|db|replica)|(database|db) disk (is )?(full|filling|space|usage)|managed (database|db|postgres|redis|kafka)|rds|cloud sql|aurora|elasticache|(primary|master) (is )?(down|failing over|unavailable))/ },
  { h: "owner_action", w: 1.8, why: "a rollback is unsafe", re: /\b((do not|don't|must not|cannot|can't|never) roll ?back|not (safely )?revers(i|a)ble|irreversible|one-way migration|(rollback|roll(ing)?[- ]?back|revert(ing)?) (is|would be|isn't) (not (possible|safe|an option)|impossible|unsafe|dangerous)|rollback would (break|corrupt|lose)|(old|previous) (version|release|code) (cannot|can't|could not) read|migration (can(not|'t)|must not) be (rolled|reverted)|schema migration .{0,40}(cannot|can't|must not|not) .{0,20}(revert|roll))/ },
  { h: "owner_action", w: 1.5, why: "the owners' decision", re: /\b(only [\w-]+( team)? can (terminate|kill|fix|change|cap|skip|approve|restart|do|decide|renew|rotate)|nobody (on|from|in) (their|the) [\w-]+ (has )?(acked|acknowledged|responded|answered)|nobody (has )?(acked|acknowledged|responded)|(the )?[\w-]+ team owns|owned by (the )?[\w-]+|(a |the )?manual (offset reset|intervention|step|decision|fix)|their (dlq|dead-letter|policy|runbook|decision|call|console)|legal (documents?|requirement|hold)|(skip|skipping|dead-letter(ing)?) (it|the record|the message)|needs? (a )?(sign-off|approval) from)/ },
  { h: "owner_action", w: 1.2, why: "a quota or account limit", re: /\b(quota (exceeded|reached|limit|exhausted)|exceeded (its |the |a )?quota|rate[- ]limited by|account (limit|suspended)|billing (limit|account suspended|hold)|licen[cs]e (expired|limit)|spending (limit|cap))/ },
  // people need to know, nothing to run
  { h: "awareness", w: 1.6, why: "informational, nothing to run", re: /\b(informational|fyi|for your information|heads[- ]up|no action (needed|required|possible|to take)|nothing (we|to|our side) (can|could|to) (do|fix)|nothing to (do|fix) on our side|awareness|(let|keep) (people|teams|everyone|support|stakeholders|customers) (know|informed|in the loop)|announce|status update|post (an update|in #|to #)|customer (support|success) (should|needs to) know|(handled|being fixed|mitigated) (by the provider|upstream|on their side)|low (impact|severity)|minor (impact|degradation)|cosmetic)/ },
  { h: "awareness", w: 1.2, why: "impact contained, it heals itself", re: /\b(no (data|messages|orders|events|requests|payments) (are |were )?(lost|dropped)|nothing (is |was )?lost|retries (succeed|with backoff|absorb|cover)|will catch up|catching up|(delay|delayed|backlog) only|nothing changed on our side|self-heal|succeed(s|ed)? on retry|(acked|acknowledged) (it )?(in|on|the) (pd|pagerduty|page|opsgenie)|(on-?call|owners?|the [\w-]+ team|[\w-]+ on-?call) (is|are|has been) (already )?(on it|watching|engaged|aware|handling it|working on it)|(support|#[\w-]+|stakeholders|customers|[\w-]+ team) (still )?(don't|do not|doesn't|does not|hasn't|haven't|has not|have not) (know|been told|heard)|(already )?(has|have) (a )?(ticket|jira|issue|case) ([\w-]+ )?open|[a-z]+-\d+ (is )?open|will fix (it |the [\w ]+ )?(on )?(monday|tuesday|wednesday|thursday|friday|tomorrow|next week|later today|this week)|(support|customer support|customer success|cs) (wants?|needs?|should|would like) (to )?know|in case of (support )?tickets|degraded but (working|functional|serving))/ },
  // a fix already out
  { h: "recovered", w: 2.0, why: "a fix is already out", re: /\b((fix|hotfix|patch|mitigation|workaround|revert|rollback|remediation)\b[^;]{0,90}?\b(is|was|has been|got|were|have been|went) (already )?(deployed|rolled out|applied|out|live|in place|shipped|merged and deployed|released|done|complete(d)?)|(fix|hotfix|patch|mitigation|workaround|revert|rollback|remediation) (is |was |has been |got )?(already )?(deployed|rolled out|applied|out|live|in place|shipped|merged and deployed|released|done|complete(d)?)|(deployed|rolled out|shipped|applied|released|pushed|merged) (a |the |their |our )?(hot)?(fix|patch|mitigation|workaround)\b|(asked|asks|asking|want|wants) (for )?(a )?(confirmation|us to confirm|someone to confirm)|(reverted|rolled( it)? back) (via|with|using|to) [\w.-]+|already (rolled (out|back)|deployed|fixed|mitigated|reverted|restarted|scaled|remediated|applied)|has been (rolled back|reverted|fixed|mitigated)|(we|someone|oncall|on-call) (rolled back|reverted|fixed|mitigated|restarted|scaled)|after the (fix|hotfix|rollback|revert)|post-?(fix|mitigation|rollback))/ },
  { h: "recovered", w: 1.6, why: "it is coming back", re: /\b((stopped|ceased|subsided|cleared) (at|since|after) \d|(down|dropped|fell|falling|decreasing) (back )?from \d|still falling|(is |are )?falling\b|(it's|it is|its) back (under|below|to|within)|(put|rotated|replaced|renewed|updated|installed) the (new )?(key|cert(ificate)?|secret|token|password|credentials?)|rolled the pods,? (done|finished)|confirm (it's|it is|that it's|that it is|that it)|(pods|deployment) (were |was )?(rolled|restarted|reloaded),? done)/ },
  { h: "recovered", w: 1.4, why: "watching the recovery", re: /\b((confirm|verify|make sure|check|watch) (that )?(the )?(it|error|errors|latency|recovery|things|service|rate|metrics|p99|slo) ?(is |are |has |have |stays? |holds? |returns? |recovered|back|under|below|normal)?|recovering|back to normal|(is|are|went|came) back (to|under|below|within)|returning to (normal|baseline)|dropped (back )?(to|below) (normal|baseline|\d)|trending (down|back)|(errors?|latency|rate) (is |are )?(dropping|falling|coming down|decreasing)|should (now )?recover|burn(-| )rate (alert )?(is )?(lagging|still firing|catching up)|still firing (because|due to) (the )?(window|lag))/ },
  // nobody knows yet
  { h: "unclear", w: 1.5, why: "evidence first", re: /\b((do not|don't|dont|never) (restart|delete|bounce|touch|kill|roll)[\w/ ]{0,30}(until|before) (the )?(logs|events|evidence|dumps?|data)|(logs|events|evidence|dumps?) (are |is |have been )?(grabbed|captured|collected|saved|taken)|lost the evidence|unexplained|no explanation|(not|isn't|wasn't) oom ?killed|logs stop mid|(don't|do not|can't|cannot) (yet )?(know|tell) (why|what))/ },
  { h: "unclear", w: 1.5, why: "the cause is not known yet", re: /\b((cause|reason|root cause|trigger) (is |still )?(unknown|unclear|not known|not yet known|a mystery)|captur(e|ing) (the )?(events|logs|a heap dump|a thread dump|the stack|evidence|a profile)|(need|want|needs|wants) the (evidence|logs|stack|dump)|unclear|unknown (cause|root cause|reason)|no (obvious|clear) (cause|pattern|culprit|trigger)|root cause (is )?(not|un)(known|clear)|(can't|cannot|could not|couldn't) (tell|explain|reproduce|find)|intermittent(ly)?|sporadic(ally)?|(mixed|multiple|several|various|unrelated) symptoms|(want|wants|need|needs|asked for|ask for) (more |the |some )?(evidence|logs|diagnostics|data|a heap dump|thread dump|profile)|(before|without) (restarting|touching|changing) (anything|it)|gather (logs|evidence|data|diagnostics)|anomal(y|ous) (in|of)? ?(the )?(error )?log|error logs?:|log_messages_total|investigat(e|ing|ion) (first|needed|ongoing)|no (recent )?(change|deploy|release|config change)s? (and|,|;) (no|nothing))/ },
];

// Remedy verbs, each to the playbook it names.
const REMEDY_WORDS: { p: RemedyRef; re: string }[] = [
  { p: "rollback-deployment", re: "roll(ed|ing)? ?back|rollbacks?|revert(ed|ing)?" },
  { p: "restart-deployment", re: "restart(ed|ing|s)?|bounc(e|ed|ing)|rollout restart|recycl(e|ed|ing) the pods" },
  { p: "scale-up-deployment", re: "scal(e|ed|ing) (it )?(up|out)|scale-?ups?|add(ed|ing)? (more )?replicas|more replicas|raising (the )?replicas" },
  { p: "cordon-node", re: "cordon(ed|ing)?|drain(ed|ing)? (the )?node" },
  { p: "delete-stuck-pod", re: "delet(e|ed|ing) (the )?pod|kill(ed|ing)? (the )?pod|pod delet(e|ion)" },
  { p: "clear-cache", re: "(flush|clear|purg|invalidat)(e|ed|ing)? (the )?cache|cache (flush|clear|purge)(es|ed)?" },
  { p: "feature-flag-kill-switch", re: "kill[- ]?switch|(turn|switch)(ed|ing)? (the )?flag off|disabl(e|ed|ing) the flag" },
  { p: "page-owner", re: "pag(e|ed|ing)( the)? (owner|owners|team|on-?call)|paging" },
  { p: "notify-slack", re: "(post(ed|ing)?|notif(y|ied|ying)) (in |to )?(slack|the channel)" },
];

// What follows a remedy in the same clause and what it says about it.
const REMEDY_BAD = /\b(did(n't| not)|does(n't| not)|do(n't| not)|won't|will not|never) (help|work|fix|stick|resolve|change anything)|made (it|things|matters|the (errors?|latency|incident)) worse|(only|just) help(ed|s) for|came back|returned within|(was|is) (useless|pointless|noise|not enough)|masked|hid(es)? the|moved the (problem|leak|issue)|landed (back )?on the same|overload(ed)?|broke|corrupt|failed to (help|fix)|no effect|without effect|unsafe|not safe|not (possible|an option)/;
const REMEDY_GOOD = /\b(fixed (it|the)|resolved (it|the)|worked|cleared (it|the)|(helps|helped) (immediately|right away|every time|reliably)|is the fix|restored (service|traffic)|brought (it|errors?|latency) (back|down))/;
// Before a remedy: an instruction not to use it ("do not roll back", "avoid restarting").
const REMEDY_FORBIDDEN = /\b(do not|don't|must not|cannot|can't|never|avoid|no more|stop|before (anybody|anyone|someone|we|you|they)) (\w+ ){0,2}$/;

// Negation before a cue in its clause, or a disclaimer after it.
const NEG_BEFORE = /\b(no|not|never|without|nothing|none|zero|no sign of|neither|nor|isn't|wasn't|aren't|weren't|hasn't|haven't|didn't|doesn't|ruled out|rather than|instead of|unlike|except|other than)\b[^,;]{0,40}$/;
const NEG_AFTER = /^[^,;]{0,60}\b(is not|was not|isn't|wasn't|are not|aren't|were not|weren't|not) (the )?(cause|culprit|related|involved|relevant|it|to blame|the problem)|^[^,;]{0,60}\b(unrelated|ruled out|irrelevant|not related|had no effect)|^[\s:]{0,3}((is|are|was|were|look|looks|looked|seems?|stays?|stayed) )?(fine|ok|healthy|normal|unchanged|flat|stable|as usual|unremarkable|no impact)\b/;

// How long ago a change happened, as the clause says it.
const OFFSET = /\b(\d+(?:\.\d+)?)\s*(s|secs?|seconds?|m|mins?|minutes?|h|hrs?|hours?|d|days?|w|wks?|weeks?)\b\s*(ago|before|earlier|prior|back)\b/;
const STALE = /\b((since|on|last) (mon|tues|wednes|thurs|fri|satur|sun)(day)?\b|last (deployed|changed|released|rolled|toggled|touched)|(live|running|unchanged) since (mon|tue|wed|thu|fri|sat|sun|last|\d+ days)|nothing (rolled|deployed|released|changed|toggled) (since|today|this week)|yesterday|last (week|month|night|friday|monday|tuesday|wednesday|thursday|saturday|sunday)|(\d+|two|three|four|five|several|a few) (days|weeks|months) (ago|earlier|before)|days ago|weeks ago|in (the )?(last|past) (\d+|two|three|several) (days|weeks))\b/;
const FRESH = /\b(just (before|after)|right (before|after)|shortly (before|after)|minutes? (before|after|later|earlier)|(since|after|following) (the|this|that|today's|this morning's) (deploy|release|rollout|upgrade|sync|change|flag)|coincid(es|ed|ing) with|started (when|right after|as soon as)|immediately after|as soon as)\b/;

const EXPIRES_IN = /\b(?:(?:expires?|expiring|valid|runs? out) (?:in|for|within) (\d+) ?(hours?|days?|weeks?|h|d|w)\b|(\d+) ?(hours?|days?|weeks?|h|d|w)(?: \d+ ?h)? (?:from|until|before|to|left (?:to|until|before)) expir)/;

const MINUTES: Record<string, number> = { s: 1 / 60, m: 1, h: 60, d: 1440, w: 10080 };

function offsetMinutes(clause: string): number | null {
  const m = OFFSET.exec(clause);
  if (!m) return null;
  return Number(m[1]) * (MINUTES[m[2]![0]!] ?? 1);
}

const CLOCK = /\b([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?\s*(?:utc|z|gmt)?\b/;
const SYMPTOM = /\b(errors?|5xx|4xx|fail(s|ed|ing|ures?)?|timeouts?|timed out|latency|p9\d|crash\w*|reject\w*|exceptions?|refused|burn\w*|alerts?|spike\w*|drop\w*|lag|stuck|hang\w*|slow\w*|degrad\w*|outage|down|unavailable|restarts?)\b/;
const SYMPTOM_START = /\b(since|from|starting( at)?|started( at)?|began( at)?|beginning( at)?|as of)\s*$/;

/** Minutes after midnight of the first clock time in a clause ("14:02", "09:14 UTC"), or null. */
function clockMinutes(clause: string): number | null {
  const m = CLOCK.exec(clause);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

/** When the symptoms began, if the text says so with a clock time: the earliest "5xx from 14:04", "since 02:14". */
function symptomStart(all: readonly string[]): number | null {
  let first: number | null = null;
  for (const clause of all) {
    const re = new RegExp(CLOCK.source, "g");
    for (const m of clause.matchAll(re)) {
      const before = clause.slice(0, m.index);
      const opening = /^(started|began|beginning|since|starting)\b/.test(clause);
      if (!opening && !(SYMPTOM_START.test(before) && SYMPTOM.test(clause))) continue;
      const t = Number(m[1]) * 60 + Number(m[2]);
      if (first === null || t < first) first = t;
    }
  }
  return first;
}

/** Splits text into clauses: sentences and "but"/"however"/";" parts, each read on its own. */
export function clauses(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .split(/(?<=[.!?])\s+|[;\n]+|\s+\bbut\b\s+|\s+\bhowever\b,?\s+|\s+\bwhereas\b\s+|\s+\balthough\b\s+/)
    .map((c) => c.trim())
    .filter(Boolean);
}

const quoteOf = (clause: string, index: number, length: number) => {
  const start = Math.max(0, index - 40);
  const end = Math.min(clause.length, index + length + 40);
  return `${start > 0 ? "…" : ""}${clause.slice(start, end)}${end < clause.length ? "…" : ""}`;
};

/**
 * The evidence in one piece of text. `weight` scales everything (a run note about a similar past incident
 * counts less than the incident's own description).
 */
export function extractEvidence(text: string, weight = 1): Evidence {
  const cues: Cue[] = [];
  const remedies: RemedyCue[] = [];
  const all = clauses(text);
  const symptomsAt = symptomStart(all);
  for (const clause of all) {
    const offset = offsetMinutes(clause);
    // "Synced 2.14.0 at 13:58 … 5xx from 14:04": a change minutes before the symptoms began is fresh; one after
    // they began is not their cause.
    const at = clockMinutes(clause);
    const gap = at !== null && symptomsAt !== null ? (symptomsAt - at + 1440 + 720) % 1440 - 720 : null;
    const stale = STALE.test(clause) || (offset !== null && offset >= 720) || (gap !== null && gap > 240);
    const fresh = !stale && (FRESH.test(clause) || (offset !== null && offset <= 90) || (gap !== null && gap >= 0 && gap <= 60));
    const afterSymptoms = gap !== null && gap < -2;
    // "The hotfix was deployed 10 minutes ago": that deploy is the fix, not the cause.
    const fixOut = RULES.some((r) => r.h === "recovered" && r.re.test(clause));
    for (const rule of RULES) {
      if ((rule.change || rule.h === "bad_release") && fixOut) continue;
      const m = rule.re.exec(clause);
      if (!m) continue;
      const before = clause.slice(0, m.index);
      const after = clause.slice(m.index + m[0].length);
      let w = rule.w;
      let why = rule.why;
      if (!rule.literal && (NEG_BEFORE.test(before) || NEG_AFTER.test(after))) {
        w = -0.5 * rule.w;
        why = `not ${rule.why}`;
      } else if (rule.change) {
        // A change days ago is not what broke things now; one minutes before is the prime suspect.
        if (afterSymptoms) {
          w = 0.3 * rule.w;
          why = `${rule.why}, but after the symptoms began`;
        } else if (stale && !fresh) {
          w = -0.5 * rule.w;
          why = `${rule.why}, but long before`;
        } else if (fresh) {
          w = rule.w * 1.5;
        }
      }
      cues.push({ hypothesis: rule.h, weight: w * weight, quote: quoteOf(clause, m.index, m[0].length), why });
    }
    const expiry = EXPIRES_IN.exec(clause);
    if (expiry) {
      const n = Number(expiry[1] ?? expiry[3]);
      const unit = (expiry[2] ?? expiry[4])!;
      const days = n * (unit.startsWith("w") ? 7 : unit.startsWith("h") ? 1 / 24 : 1);
      if (days >= 3) cues.push({ hypothesis: "awareness", weight: 2.2 * weight, quote: quoteOf(clause, expiry.index, expiry[0].length), why: "it expires in days, not hours: time to tell the owners, not to page" });
      else cues.push({ hypothesis: "owner_action", weight: 1.0 * weight, quote: quoteOf(clause, expiry.index, expiry[0].length), why: "it expires within hours" });
    }
    for (const r of REMEDY_WORDS) {
      const re = new RegExp(`\\b(${r.re})\\b`);
      const m = re.exec(clause);
      if (!m) continue;
      const before = clause.slice(0, m.index);
      const after = clause.slice(m.index + m[0].length);
      if (REMEDY_FORBIDDEN.test(before)) remedies.push({ playbook: r.p, weight: -1.5 * weight, quote: quoteOf(clause, m.index, m[0].length), why: "the text says not to" });
      else if (REMEDY_BAD.test(after) || REMEDY_BAD.test(before.slice(-40))) remedies.push({ playbook: r.p, weight: -1.2 * weight, quote: quoteOf(clause, m.index, m[0].length), why: "it did not help before" });
      else if (REMEDY_GOOD.test(after)) remedies.push({ playbook: r.p, weight: 0.8 * weight, quote: quoteOf(clause, m.index, m[0].length), why: "it worked before" });
    }
  }
  return { cues, remedies };
}

/** What a run's note says about the run: it made things worse or did not stick (-1), it clearly worked (+1), or nothing (0). */
export function noteVerdict(note: string | null | undefined): -1 | 0 | 1 {
  if (!note) return 0;
  const t = note.toLowerCase();
  if (/\b(made (it|things|matters|the \w+) worse|did(n't| not) (help|work|fix|stick)|does(n't| not) (help|work|fix)|(only|just) help(ed|s) for|came back|returned (within|after)|no (effect|change|improvement)|(was|is|turned out) (useless|pointless|noise|the wrong|a red herring)|wrong (call|fix|playbook)|masked|hid the|moved the (problem|leak|issue)|landed (back )?on the same|overloaded|not the (fix|cause|problem)|real (cause|problem|fix) was|actual (cause|fix) was|reverted (it|this)|had to (undo|revert|roll back)|asked for evidence|before restarting)\b/.test(t)) return -1;
  if (/\b(fixed (it|the)|resolved (it|the)|worked|recovered|cleared (it|the)|errors? (dropped|stopped|gone)|back to normal|did the trick)\b/.test(t)) return 1;
  return 0;
}
