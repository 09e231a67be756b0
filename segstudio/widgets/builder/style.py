"""The builder's look: quiet neutrals, one accent, red only for what needs fixing."""

BUILDER_STYLE = """
#builderView { background: #f6f7f9; }
QLabel#stepTitle { font-size: 17px; font-weight: 600; color: #202124; }
QLabel#stepHint { color: #5f6368; }
QFrame#infoCard, QFrame#previewPanel, QFrame#treeHolder {
    background: #ffffff; border: 1px solid #dadce0; border-radius: 8px; }
QLabel#counter { color: #5f6368; min-width: 48px; }
QLabel#counter[over="true"], QLabel#fieldError, QLabel#rowError { color: #d93025; }
QPushButton#primary { background: #1a73e8; color: white; border: none; border-radius: 4px; padding: 6px 16px;
    font-weight: 600; }
QPushButton#primary:disabled { background: #a8c7fa; }
QLabel#banner { background: #e8f0fe; color: #174ea6; border-radius: 6px; padding: 8px 12px; }
QLabel#banner[error="true"] { background: #fce8e6; color: #a50e0e; }
QTreeView#ruleTree { border: none; background: #ffffff; outline: 0; }
QTreeView#ruleTree::item:selected, QTreeView#ruleTree::branch:selected { background: transparent; }
QTreeView#ruleTree::branch { background: transparent; image: none; border-image: none; }
QFrame#groupRow { background: #f1f3f4; border-radius: 6px; }
QFrame#conditionRow { background: #ffffff; border-bottom: 1px solid #eceff1; }
QFrame#conditionRow[invalid="true"] { background: #fffafa; }
QLabel#groupTitle { font-weight: 600; color: #3c4043; }
QLabel#dragHandle { color: #9aa0a6; font-size: 14px; }
QPushButton#connector { border: 1px solid #c6dafc; border-radius: 10px; background: #e8f0fe; color: #1967d2;
    font-size: 11px; font-weight: 700; padding: 2px 4px; }
QPushButton#connector[first="true"] { border: none; background: transparent; color: #5f6368; font-weight: 400; }
QPushButton#segLeft, QPushButton#segRight { border: 1px solid #1a73e8; color: #1a73e8; background: white;
    padding: 3px 0; font-weight: 600; }
QPushButton#segLeft { border-top-left-radius: 4px; border-bottom-left-radius: 4px; }
QPushButton#segRight { border-top-right-radius: 4px; border-bottom-right-radius: 4px; }
QPushButton#segLeft:checked, QPushButton#segRight:checked { background: #1a73e8; color: white; }
QPushButton#fieldButton { text-align: left; padding: 4px 8px; border: 1px solid #dadce0; border-radius: 4px;
    background: white; }
QPushButton#fieldButton:focus { border-color: #1a73e8; }
QToolButton#removeButton { border: none; color: #80868b; padding: 2px 6px; }
QToolButton#removeButton:hover { color: #d93025; }
QToolButton#addCondition, QToolButton#addGroup { color: #1a73e8; border: none; padding: 3px 6px; font-weight: 600; }
QToolButton#addCondition:disabled, QToolButton#addGroup:disabled { color: #9aa0a6; }
*[invalid="true"] { border: 1px solid #d93025; border-radius: 4px; }
QFrame#conditionRow[invalid="true"], QFrame#groupRow[invalid="true"] { border: none; }
QLabel#panelTitle { font-size: 15px; font-weight: 600; }
QLabel#previewCounts { font-size: 14px; color: #202124; }
QLabel#previewCounts:disabled { color: #9aa0a6; }
QLabel#previewSummary { color: #3c4043; background: #f8f9fa; border-radius: 4px; padding: 6px 8px; }
QLabel#previewNote { color: #b06000; }
QLabel#emptyState { color: #5f6368; font-size: 13px; padding: 24px; }
QLabel#previewMessage { color: #5f6368; padding: 24px; }
QLabel#previewMessage[error="true"] { color: #a50e0e; }
QProgressBar#busy { border: none; background: #e8f0fe; border-radius: 3px; }
QProgressBar#busy::chunk { background: #1a73e8; border-radius: 3px; }
QPushButton#notToggle { border: 1px solid #dadce0; border-radius: 4px; color: #5f6368; background: white;
    padding: 3px 0; font-weight: 600; }
QPushButton#notToggle:checked { background: #d93025; border-color: #d93025; color: white; }
QPushButton#notToggle:focus { border: 2px solid #1a73e8; }
QToolButton#tagChip { border: 1px solid #c6dafc; border-radius: 10px; background: #e8f0fe; color: #1967d2;
    padding: 1px 6px; }
QToolButton#tagChip:focus { border: 2px solid #1a73e8; }
/* Keyboard focus (the app style has the generic ring; these buttons have their own look). */
QPushButton#primary:focus { border: 2px solid #0b3d91; padding: 4px 14px; }
QPushButton#connector:focus, QPushButton#segLeft:focus, QPushButton#segRight:focus,
QPushButton#fieldButton:focus { border: 2px solid #1a73e8; background: #e8f0fe; }
QToolButton#addCondition:focus, QToolButton#addGroup:focus, QToolButton#removeButton:focus {
    background: #d2e3fc; border-radius: 4px; }
QComboBox#operator:focus, QComboBox#match:focus { border: 2px solid #1a73e8; border-radius: 3px; }
"""
