"""The window's documents: new / open / recent / save / save as, the unsaved-changes
question, recovery after a crash, missing media and relink, import and export.

A mixin of `MainWindow` (it uses the window's editor, store, prompts, jobs, settings and
status bar); kept apart so that the window's layout and its file handling each stay readable.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from audio.errors import StudioError
from audio.timeline import TrackRole
from studio import edits, history
from studio.edits import add_source_clip
from studio.programme import Programme, missing_media
from studio.session import Session, find_recovery
from ui.timefmt import clock
from ui.window.dialogs import MissingMediaDialog
from ui.window.export_dialog import ExportChoice, run_export

MAX_RECENT = 10


class DocumentActions:
    """File menu work of the window (mixed into MainWindow)."""

    # --- documents -------------------------------------------------------------------------

    def _error(self, exc: BaseException) -> None:
        if isinstance(exc, StudioError):
            self.prompts.error(exc.message())
        else:
            detail = getattr(exc, "__traceback_text__", "")
            self.prompts.error(
                self.tr("Something went wrong: %1").replace("%1", str(exc) or type(exc).__name__)
                + ("\n\n" + detail[-1500:] if detail else "")
            )

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; False when the user cancelled."""
        if not self.editor.session.dirty:
            return True
        name = self.editor.session.display_name or self.tr("Untitled programme")
        answer = self.prompts.unsaved(name)
        if answer == "cancel":
            return False
        if answer == "save":
            return self.save()
        return True

    def new_programme(self) -> None:
        if not self.maybe_save():
            return
        self.playback.stop()
        p = Programme(title="", metadata=self.station_metadata())
        self.editor.set_session(Session(self.home, p))
        self.add_track_defaults()

    def station_metadata(self) -> tuple[tuple[str, str], ...]:
        """The station and commune from the settings, for a new programme's tags and report."""
        pairs = (
            ("station", self.settings.get("station_name")),
            ("commune", self.settings.get("commune")),
        )
        return tuple((k, v) for k, v in pairs if v)

    def add_track_defaults(self) -> None:
        """A fresh programme starts with a voice track and a music-bed track (not an edit)."""
        s = self.editor.session
        tl = edits.add_track(s.programme.timeline, self.tr("Voice"), TrackRole.VOICE)
        tl = edits.add_track(tl, self.tr("Music bed"), TrackRole.MUSIC_BED)
        programme = s.programme.with_changes(timeline=tl)
        if not programme.metadata:
            programme = programme.with_changes(metadata=self.station_metadata())
        self.editor.set_session(Session(self.home, programme))

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        folder = os.path.dirname(self._recent()[0]) if self._recent() else ""
        path = self.prompts.open_path(folder)
        if path:
            self.open_path(path, ask=False)

    def open_path(self, path: str, ask: bool = True) -> bool:
        """Open a programme file; a bad file is reported and nothing else changes."""
        if ask and not self.maybe_save():
            return False
        try:
            session = Session.open(self.home, path)
        except StudioError as exc:
            self.prompts.error(exc.message())
            return False
        self.playback.stop()
        self.editor.set_session(session)
        self._add_recent(path)
        self.timeline_view.zoom_to_fit()
        self.documentOpened.emit(path)
        self.check_missing_media()
        return True

    def check_missing_media(self) -> list[str]:
        missing = missing_media(self.editor.programme, self.store)
        if not missing:
            return []
        rows = []
        for sid in missing:
            ref = self.editor.programme.media_ref(sid)
            rows.append((sid, ref.original_name if ref else "", ref.original_path if ref else ""))
        self.missing_dialog = MissingMediaDialog(rows, self.relink, self)
        self.show_missing_dialog(self.missing_dialog)
        return missing

    def show_missing_dialog(self, dialog) -> None:
        dialog.open()

    def relink(self, source_id: str) -> None:
        ref = self.editor.programme.media_ref(source_id)
        path = self.prompts.relink_path(ref.original_name if ref else source_id[:12])
        if not path:
            return
        rate = self.editor.rate

        def done(info) -> None:
            programme = edits.relink_source(self.editor.programme, source_id, info, path)
            self.editor.apply(programme, history.RELINK)
            self.waveforms.forget(info.source_id)
            if getattr(self, "missing_dialog", None) is not None:
                self.missing_dialog.mark_found(source_id)

        self.jobs.run(
            self.tr("Importing audio"),
            lambda progress: self.store.import_file(path, rate, progress),
            done,
            self._error,
        )

    def save(self) -> bool:
        if self.editor.session.path is None:
            return self.save_as()
        try:
            self.editor.save()
        except StudioError as exc:
            self.prompts.error(exc.message())
            return False
        self._add_recent(str(self.editor.session.path))
        self.statusBar().showMessage(self.tr("Saved"), 3000)
        return True

    def save_as(self) -> bool:
        suggestion = str(
            self.editor.session.path or Path.home() / (self.tr("Bulletin") + ".sttprog")
        )
        path = self.prompts.save_path(suggestion)
        if not path:
            return False
        try:
            target = self.editor.save(path)
        except StudioError as exc:
            self.prompts.error(exc.message())
            return False
        self._add_recent(str(target))
        self.statusBar().showMessage(self.tr("Saved"), 3000)
        return True

    def autosave(self) -> None:
        try:
            self.editor.session.autosave()
        except StudioError as exc:
            self.statusBar().showMessage(exc.message(), 8000)

    def offer_recovery(self) -> bool:
        """At start-up: offer to restore what an interrupted session left behind."""
        found = find_recovery(self.home)
        if not found:
            return False
        rec = found[0]
        name = os.path.basename(rec.document) if rec.document else self.tr("Untitled programme")
        restore = self.prompts.confirm(
            self.tr(
                "The app did not close properly last time. Restore the unsaved changes to “%1”?"
            ).replace("%1", name)
        )
        if not restore:
            for r in found:
                r.discard()
            return False
        try:
            programme = rec.load()
        except StudioError as exc:
            self.prompts.error(exc.message())
            rec.set_aside()
            return False
        session = Session(self.home, programme, rec.document or None)
        session.history.mark_unsaved()  # what was restored is not what is on disk
        self.editor.set_session(session)
        for r in found:
            r.discard()
        self.timeline_view.zoom_to_fit()
        return True

    def _recent(self) -> list[str]:
        return [p for p in self.settings.get("recent_programmes") if isinstance(p, str)]

    def _add_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        recent = [p for p in self._recent() if p != path]
        self.settings.set("recent_programmes", [path, *recent][:MAX_RECENT])
        with contextlib.suppress(OSError):
            self.settings.save()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self._recent()
        if not recent:
            a = self.recent_menu.addAction(self.tr("(none)"))
            a.setEnabled(False)
        for path in recent:
            a = self.recent_menu.addAction(os.path.basename(path))
            a.setToolTip(path)
            a.triggered.connect(lambda _=False, p=path: self.open_path(p))

    # --- import and export (long jobs) -----------------------------------------------------

    def import_dialog(self) -> None:
        paths = self.prompts.import_paths()
        if paths:
            self.import_files(paths)

    def import_files(
        self, paths: list[str], track: int | None = None, at: int | None = None
    ) -> None:
        """Import files one after the other onto the current track (from `at` or its end)."""
        rate = self.editor.rate

        def work(progress):
            infos = []
            for i, path in enumerate(paths):
                infos.append(
                    (
                        path,
                        self.store.import_file(
                            path, rate, lambda f, i=i: progress((i + f) / len(paths))
                        ),
                    )
                )
            return infos

        def done(infos) -> None:
            programme = self.editor.programme
            if not programme.timeline.tracks:
                programme = programme.with_changes(
                    timeline=edits.add_track(programme.timeline, self.tr("Voice"))
                )
            t = self.editor.current_track if track is None else track
            t = min(max(t, 0), len(programme.timeline.tracks) - 1)
            name = programme.timeline.tracks[t].name
            start = at
            for path, info in infos:
                programme = add_source_clip(
                    programme, info, name, start, original_path=os.path.abspath(path)
                )
                start = None
            self.editor.apply(programme, history.IMPORT_AUDIO)
            notes = [w.message() for _p, info in infos if (w := info.warning()) is not None]
            if notes:  # a cut-short file: what decoded was added, and the user is told
                self.prompts.info("\n".join(notes))

        self.jobs.run(self.tr("Importing audio"), work, done, self._error)

    def export_preset(self):
        """The export preset chosen in Settings (the export service owns the lookup)."""
        return self.exports.preset()

    def _show_export_target(self) -> None:
        preset = self.export_preset()
        self.mixer.target_lufs = preset.target_lufs
        self.mixer.set_loudness(None)
        self.exportTargetChanged.emit()

    def export_folder(self) -> Path:
        """Where the export dialog starts: the folder of the last export while it exists,
        else the studio home's exports folder."""
        last = self.settings.get("export_folder")
        if last and os.path.isdir(last):
            return Path(last)
        return self.home.exports

    def export_dialog(self, then=None):
        """The export dialog (preset, format, loudness, name, folder, balance), then the
        export; `then(result)` runs after a successful export. The Job, or None when nothing
        was started."""
        p = self.editor.programme
        if p.timeline.length == 0:
            self.prompts.error(
                StudioError(
                    "The programme is empty: add some audio before exporting.",
                    "Chương trình trống: hãy thêm âm thanh trước khi xuất.",
                ).message()
            )
            return None
        stem = self.editor.session.path.stem if self.editor.session.path else p.title
        choice = self.prompts.export_options(
            self.exports.presets(),
            self.export_preset(),
            str(self.export_folder()),
            lambda preset: self.exports.file_name(p, preset, title=stem or ""),
            self.settings.get("balance_auto_level"),
            self.settings.get("balance_duck"),
        )
        if choice is None:
            return None
        self.settings.set("export_folder", str(Path(choice.path).parent))
        if choice.preset.name != self.exports.chosen_name() and choice.preset.name != "custom":
            self.exports.choose(choice.preset.name)  # saves the settings too
            self._show_export_target()
        else:
            with contextlib.suppress(OSError):
                self.settings.save()
        return self.export_choice(choice, then)

    def export_mp3(self, path: str, then=None):
        """Export to `path` with the chosen preset, auto-level and ducking on; the Job."""
        return self.export_choice(ExportChoice(Path(path), self.export_preset()), then)

    def export_choice(self, choice, then=None):
        """Export as the dialog's ExportChoice says, through the job helper (progress and
        Cancel) and the export service; returns the Job."""
        programme = self.editor.programme
        rate = programme.timeline.rate

        def work(progress):
            return run_export(self.exports, programme, choice, progress)

        def done(result) -> None:
            self.last_export = result
            self.exported.emit(result)
            if then is not None:
                then(result)
            self.statusBar().showMessage(
                self.tr("Exported %1 (%2, gain %3 dB)")
                .replace("%1", os.path.basename(str(result.path)))
                .replace("%2", clock(result.frames * rate // result.rate, rate))
                .replace("%3", f"{result.gain_db:+.1f}"),
                10000,
            )

        def cancelled() -> None:
            self.statusBar().showMessage(self.tr("Export cancelled"), 5000)

        return self.jobs.run(self.tr("Exporting"), work, done, self._error, cancelled)
