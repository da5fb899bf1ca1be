export { dashboardSpecs } from "./definitions.js";
export { buildDashboard, dashboardQueryProblems } from "./panels.js";
export type { DashboardSpec, PanelSpec, PanelQuery } from "./panels.js";
export {
    MonitoringDashboards,
    monitoringDashboardsType,
    dashboardJson,
    dashboardKeyProblems,
    dashboardKeys,
    dashboardsForPhase,
} from "./monitoringDashboards.js";
export type { MonitoringDashboardsArgs, DashboardKey } from "./monitoringDashboards.js";
