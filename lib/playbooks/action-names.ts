// Every action a playbook step may name. Implementations live in lib/orchestrator/actions/.
export const K8S_ACTIONS = ["k8s.rollout_restart", "k8s.scale", "k8s.delete_pod", "k8s.cordon", "k8s.logs", "k8s.events"] as const;
export const ACTION_NAMES = ["http", "notify", "wait", "verify", ...K8S_ACTIONS] as const;
export type ActionName = (typeof ACTION_NAMES)[number];
export type K8sActionName = (typeof K8S_ACTIONS)[number];
