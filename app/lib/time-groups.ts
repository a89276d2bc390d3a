export type TimeGroup = "Today" | "Yesterday" | "Previous 7 days" | "Previous 30 days" | "Older";

const DAY_MS = 24 * 60 * 60 * 1000;

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** The sidebar heading a chat falls under, by its latest activity, in the viewer's local time. */
export function timeGroup(at: Date, now: Date): TimeGroup {
  const today = startOfDay(now);
  const day = startOfDay(at);
  if (day >= today) return "Today";
  if (day >= today - DAY_MS) return "Yesterday";
  if (day >= today - 7 * DAY_MS) return "Previous 7 days";
  if (day >= today - 30 * DAY_MS) return "Previous 30 days";
  return "Older";
}

/** Items grouped in order; items must already be sorted newest first. */
export function groupByTime<T>(
  items: T[],
  at: (item: T) => Date,
  now: Date,
): Array<{ group: TimeGroup; items: T[] }> {
  const groups: Array<{ group: TimeGroup; items: T[] }> = [];
  for (const item of items) {
    const group = timeGroup(at(item), now);
    const last = groups[groups.length - 1];
    if (last?.group === group) last.items.push(item);
    else groups.push({ group, items: [item] });
  }
  return groups;
}
