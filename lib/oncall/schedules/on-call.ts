// replaced by the schedules module: who is on call for a schedule at a given time (rotations, layers,
// overrides). Until it lands, no schedule has anyone on call.
export async function onCallAt(scheduleId: string, at: Date): Promise<{ userId: string } | null> {
  void scheduleId;
  void at;
  return null;
}
