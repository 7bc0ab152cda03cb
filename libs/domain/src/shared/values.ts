/** What a learning tells the team to do next. */
export const LEARNING_DECISIONS = ['persevere', 'pivot', 'retire', 'continue-testing'] as const;
export type LearningDecision = (typeof LEARNING_DECISIONS)[number];

/** How much the data behind a learning can be trusted. */
export const RELIABILITIES = ['low', 'medium', 'high'] as const;
export type Reliability = (typeof RELIABILITIES)[number];

/** A Learning Card, recorded on an experiment, collaboration or network. */
export interface LearningCard {
  learningId: string;
  observation: string;
  learning: string;
  decision: LearningDecision;
  reliability: Reliability;
  themes: string[];
}
