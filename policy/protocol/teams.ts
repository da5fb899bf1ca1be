/** The two teams of the handoff protocol. */
export type TeamName = "Kilo" | "Cline";

export interface Team {
    name: TeamName;
    role: "development" | "operations";
}

export const teams: Record<TeamName, Team> = {
    Kilo: { name: "Kilo", role: "development" },
    Cline: { name: "Cline", role: "operations" },
};

export type PhaseNumber = 1 | 2 | 3 | 4 | 5;
export const phaseNumbers: readonly PhaseNumber[] = [1, 2, 3, 4, 5];
