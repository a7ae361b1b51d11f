/** The model core: the nn/1 format's types, parsing, validation, analysis and minimal text edits. */
export * from './types';
export { parseNetwork, type ParsedNetwork } from './parse';
export { validateNetwork } from './validate';
export { analyzeNetwork, inferShapes, type NetworkAnalysis, type ParamCount, type ShapeProblem } from './analyze';
export { checkNetwork, formatDiagnostic } from './check';
export {
  ModelEditError, addNode, insertBetween, removeNode, connect, disconnect, setNodeProperty, renameNode, pinNode, unpinNode, setTrainingProperty,
  setTrainingField, setLayoutDirection,
} from './edits';
export { freeGroupId, groupChains, groupMany, groupNodes, setGroupCollapsed, setGroupLabel, ungroup } from './groupEdits';
export { PROPOSE_MIN_NODES, proposeGroups, type ProposedGroup } from './proposeGroups';
export { dataChoices, dataSuggestion, TRAINING_DEFAULTS, TRAINING_FIELD_KINDS, trainingFieldKind, trainingFieldProblem, type DataChoice } from './trainingFields';
export { applyTextEdits, detectStyle } from './textEdits';
export { LineIndex } from './lineIndex';
export { own, setOwn } from './ownKeys';
export { BOM, escapeControls, escapeControlsInJson } from './textSafety';
export {
  NODE_ID_PATTERN, NODE_ID_RULE, EPOCHS, LEARNING_RATE, asWritten, isNodeId, NODE_PROPERTY_KINDS, NODE_PROPERTIES, fitsKind, fitsNodeProperty, fitsNumberRule, kindText, numberRuleText, numberTyped,
  type NumberRule, type ValueKind,
} from './fieldRules';
export { dataFacts } from './validateTraining';
export { formatNumber } from './formatNumber';
export { summaryRows, summaryTypeLabel, type SummaryRow } from './summaryRows';
export { CURVE_METRICS, formatRunLine, parseRunLog, RUN_LOG_FORMAT, runLabel, runLogPathFor, runRecordProblem, trainingAsUsed, withRunLine, type CurveMetric, type LoggedRun, type ParsedRunLog, type RunCurves, type RunEnd, type RunFinal, type RunRecord } from './runLog';
export { restoreTrainingText, trainingDifferences, trainingSectionOf } from './restoreTraining';
