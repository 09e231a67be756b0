"""Widgets of the segment builder: the rule tree adapter and view, row editors, field picker, preview panel."""
