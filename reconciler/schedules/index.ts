export { DEFAULT_RUN_COUNT, nextRuns, scheduleTimeZone, type NextRunsOptions, type ScheduleLike } from "./next-runs.js";
export { formatRunTime } from "./format.js";
export { appliedSchedule, schedulePreviews, type RunsPreview, type ScheduleAction, type ScheduleChange, type SchedulePreview, type SchedulePreviewOptions } from "./previews.js";
export { renderSchedulePreviews } from "./render-markdown.js";
export { scheduleChangesOf } from "./from-plan.js";
