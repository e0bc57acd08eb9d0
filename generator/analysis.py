"""The chain from figures to what the report says: figures -> findings -> their words and
the talking points.

`analyse` is the one function that runs it; the plugin, the export and the tests call it
rather than putting the steps together themselves. The figures (`generator.trends`) know
nothing of signals; the signals know nothing of the pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from .signals import find_signals
from .trends import Trends
from .words import FigureWords, Signal, TalkingPoints, talking_points, word_signals


@dataclass(frozen=True)
class Analysis:
    """The figures of a journal and what was found and said from them."""

    figures: Trends
    signals: list[Signal]
    talking_points: TalkingPoints

    @property
    def safety_signals(self) -> list[Signal]:
        return [s for s in self.signals if s.level == "safety"]

    @property
    def other_signals(self) -> list[Signal]:
        return [s for s in self.signals if s.level != "safety"]

    def sentences(self) -> list[str]:
        """Every sentence written from the figures, for the dose-advice scan."""
        texts = FigureWords.of(self.figures).sentences()
        for signal in self.signals:
            texts += [signal.title, signal.text, signal.clinician_title, signal.clinician_text]
            texts += [signal.sheet_text] if signal.sheet_text else []
            texts += [e.text for e in signal.evidence]
        tp = self.talking_points
        texts += [tp.state, tp.efficacy, tp.side_effects, *tp.questions, *tp.limits]
        texts += [tp.between] if tp.between else []
        return texts


def analyse(figures: Trends) -> Analysis:
    """The signals the figures support and the talking points built from both."""
    found = find_signals(figures)
    return Analysis(figures, word_signals(figures, found), talking_points(figures, found))
