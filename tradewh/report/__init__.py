"""The HTML report: one self-contained page of charts and tables read from the warehouse."""

from tradewh.report.render import write_report

__all__ = ["write_report"]
