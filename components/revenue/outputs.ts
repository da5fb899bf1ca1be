/** The stack output that holds the revenue activation time; `validate first-payment` reads it. */
export const revenueActivatedAtOutput = "revenueActivatedAt";
