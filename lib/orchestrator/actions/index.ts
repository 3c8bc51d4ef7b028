// Every action a playbook step may name, by name. Typed as a mapped type over ActionName so that a name
// added to ACTION_NAMES without an implementation fails to compile.
import type { ActionName } from "@/lib/playbooks/action-names";
import type { Action } from "./types";
import { httpAction } from "./http";
import { notifyAction } from "./notify";
import { waitAction } from "./wait";
import { verifyAction } from "./verify";
import { k8sCordonAction, k8sDeletePodAction, k8sEventsAction, k8sLogsAction, k8sRolloutRestartAction, k8sScaleAction } from "./k8s";

// `any`: each action has its own input type; callers parse `with` through action.schema first.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const ACTIONS: { [N in ActionName]: Action<any> } = {
  http: httpAction,
  notify: notifyAction,
  wait: waitAction,
  verify: verifyAction,
  "k8s.rollout_restart": k8sRolloutRestartAction,
  "k8s.scale": k8sScaleAction,
  "k8s.delete_pod": k8sDeletePodAction,
  "k8s.cordon": k8sCordonAction,
  "k8s.logs": k8sLogsAction,
  "k8s.events": k8sEventsAction,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function actionFor(name: ActionName): Action<any> {
  return ACTIONS[name];
}
