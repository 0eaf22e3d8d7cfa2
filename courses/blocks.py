"""The one lesson block set shared by every lesson.

Rich text, image, audio, video with captions, document, callout and quiz. A quiz block is a
question bank: each attempt draws `draw` of its questions (all when empty) with the options
shuffled, chosen and stored on the server when the attempt starts
(`courses.quiz.services.quiz_attempt_start`). The learner's page renders only the question and
choice texts of that draw (never the `correct` flags), and grading happens on the server.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from .audio import audio_file_problem, audio_mime_type

RICH_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr", "blockquote"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)
    alt_text = blocks.CharBlock(
        label=_("Text alternative"),
        required=False,
        help_text=_("Describe the image for learners who cannot see it."),
    )

    class Meta:
        icon = "image"
        template = "blocks/image.html"
        label = _("Image")
        description = _("A picture with a caption; sized for phones.")


class AudioBlock(blocks.StructBlock):
    """Listening material or the lesson's narration: a document played in a plain `<audio src>`
    (the file's type and size are checked on the server, `courses.audio`), with its transcript
    for learners who cannot listen."""

    title = blocks.CharBlock(label=_("Title"), required=False)
    file = DocumentChooserBlock(label=_("Audio file (mp3, ogg, opus, m4a, wav)"))
    transcript = blocks.RichTextBlock(
        label=_("Transcript"),
        features=RICH_FEATURES,
        required=False,
        help_text=_("What is said, for learners who cannot listen."),
    )
    narration = blocks.BooleanBlock(
        label=_("Narration of this lesson"),
        required=False,
        help_text=_("The lesson's “Listen” button plays this audio."),
    )
    synthetic = blocks.BooleanBlock(
        label=_("Synthesised voice"),
        required=False,
        help_text=_("Tick when a machine reads the text: learners are told."),
    )
    duration_minutes = blocks.IntegerBlock(
        label=_("Duration (minutes)"),
        required=False,
        min_value=1,
        max_value=600,
        help_text=_("Counts toward the course's study time; empty counts 5 minutes."),
    )

    def clean(self, value):
        value = super().clean(value)
        document = value.get("file")
        if document is not None:
            problem = audio_file_problem(document)
            if problem:
                raise blocks.StructBlockValidationError({"file": ValidationError(problem)})
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        document = value.get("file")
        context["mime_type"] = audio_mime_type(document) if document else ""
        return context

    class Meta:
        icon = "media"
        template = "blocks/audio.html"
        label = _("Audio")
        description = _(
            "Listening material or the lesson's narration, with a transcript; "
            "plays where the learner stopped."
        )


# Values are BCP 47 codes (the <track srclang>); labels are shown to learners as the track name.
CAPTIONS_LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English")), ("jra", _("Jrai"))]


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"))
    file = DocumentChooserBlock(label=_("Video file (mp4, webm)"))
    captions = DocumentChooserBlock(label=_("Captions (WebVTT)"), required=False)
    captions_language = blocks.ChoiceBlock(
        label=_("Captions language"), choices=CAPTIONS_LANGUAGES, default="vi"
    )
    poster = ImageChooserBlock(label=_("Poster image"), required=False)
    duration_minutes = blocks.IntegerBlock(
        label=_("Duration (minutes)"),
        required=False,
        min_value=1,
        max_value=600,
        help_text=_("Counts toward the course's study time; empty counts 5 minutes."),
    )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # The captions track is labelled with the language's name, not its code.
        code = value.get("captions_language")
        context["captions_label"] = dict(CAPTIONS_LANGUAGES).get(code, code)
        return context

    class Meta:
        icon = "media"
        template = "blocks/video.html"
        label = _("Video")
        description = _("A video served from our own storage, with captions.")


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    description = blocks.CharBlock(label=_("Description"), required=False)

    class Meta:
        icon = "doc-full"
        template = "blocks/document.html"
        label = _("Document")
        description = _("A file to download (PDF, Word, Excel).")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("tip", _("Tip")), ("warning", _("Warning")), ("example", _("Example"))],
        default="tip",
    )
    title = blocks.CharBlock(label=_("Title"), required=False)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_FEATURES)

    class Meta:
        icon = "help"
        template = "blocks/callout.html"
        label = _("Callout")
        description = _("A highlighted tip, warning or example.")


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Answer"))
    correct = blocks.BooleanBlock(label=_("Correct"), required=False)

    class Meta:
        icon = "tick"
        label = _("Answer")


class QuestionBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Question"))
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[("single", _("One answer")), ("multiple", _("Several answers"))],
        default="single",
    )
    choices = blocks.ListBlock(ChoiceBlock(), label=_("Answers"), min_num=2)
    topic = blocks.CharBlock(
        label=_("Topic to review"),
        required=False,
        max_length=120,
        help_text=_(
            "What to review when this question is answered wrong, e.g. the lesson's title. "
            "Learners see the topics, not which answers were wrong."
        ),
    )
    explanation = blocks.TextBlock(
        label=_("Explanation"),
        required=False,
        help_text=_("Shown with the correct answers once the learner has passed."),
    )

    def clean(self, value):
        value = super().clean(value)
        correct = sum(1 for choice in value["choices"] if choice["correct"])
        if correct == 0:
            raise blocks.StructBlockValidationError(
                {
                    "choices": blocks.ListBlockValidationError(
                        non_block_errors=[_("Mark at least one answer as correct.")]
                    )
                }
            )
        if value["kind"] == "single" and correct > 1:
            raise blocks.StructBlockValidationError(
                {
                    "choices": blocks.ListBlockValidationError(
                        non_block_errors=[
                            _("A one-answer question must have exactly one correct answer.")
                        ]
                    )
                }
            )
        return value

    class Meta:
        icon = "help"
        label = _("Question")


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), default=_("Quiz"))
    intro = blocks.TextBlock(label=_("Instructions"), required=False)
    questions = blocks.ListBlock(QuestionBlock(), label=_("Question bank"), min_num=1)
    draw = blocks.IntegerBlock(
        label=_("Questions per attempt"),
        required=False,
        min_value=0,
        help_text=_(
            "How many questions each attempt draws from the bank, at random. "
            "Leave empty (or 0) to ask every question. "
            "A bank at least three times the draw makes guessing useless."
        ),
    )

    def clean(self, value):
        value = super().clean(value)
        if value.get("draw") and value["draw"] > len(value["questions"]):
            raise blocks.StructBlockValidationError(
                {
                    "draw": ValidationError(
                        _("The bank has only %(n)s questions.") % {"n": len(value["questions"])}
                    )
                }
            )
        return value

    class Meta:
        icon = "list-ul"
        template = "blocks/quiz_preview.html"
        label = _("Quiz")
        description = _(
            "Questions graded on the server. "
            "Passing it (the course pass mark) completes the lesson."
        )


class H5PActivityBlock(blocks.StructBlock):
    """An uploaded H5P package played in a sandboxed frame; its xAPI results count."""

    package = SnippetChooserBlock("courses.H5PPackage", label=_("H5P activity"))
    required = blocks.BooleanBlock(
        label=_("Required for completion"),
        required=False,
        default=True,
        help_text=_("The lesson is complete when every required activity reaches its pass mark."),
    )
    pass_mark = blocks.IntegerBlock(
        label=_("Pass mark (%)"),
        required=False,
        min_value=0,
        max_value=100,
        help_text=_("Leave empty to use the course's pass mark."),
    )

    class Meta:
        icon = "pick"
        template = "blocks/h5p.html"
        label = _("H5P activity")
        description = _(
            "An interactive exercise (multiple choice, drag the words, ...) from an .h5p file."
        )


class ScormActivityBlock(blocks.StructBlock):
    """A SCORM 1.2/2004 package played with scorm-again in a sandboxed frame. Its status and
    score come from the learner's browser: they complete the lesson, never a certificate."""

    package = SnippetChooserBlock("courses.ScormPackage", label=_("SCORM package"))
    required = blocks.BooleanBlock(
        label=_("Required for completion"),
        required=False,
        default=True,
        help_text=_("The lesson is complete when the package reports it completed or passed."),
    )

    class Meta:
        icon = "media"
        template = "blocks/scorm.html"
        label = _("SCORM package")
        description = _("E-learning from a SCORM 1.2 or 2004 package (.zip).")


class LibraryItemBlock(blocks.StructBlock):
    """A link to an e-library item. The page type is named by string: courses does not import
    the library room (DESIGN.md), Wagtail resolves the model when the chooser opens."""

    item = blocks.PageChooserBlock(page_type="library.LibraryItemPage", label=_("Library item"))
    note = blocks.CharBlock(
        label=_("Why read it"),
        required=False,
        help_text=_("One sentence for the learner, e.g. “the decree this lesson explains”."),
    )

    class Meta:
        icon = "doc-full"
        template = "blocks/library_item.html"
        label = _("Library item")
        description = _("Points the learner to a document, audio or video of the e-library.")


class LessonStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"),
        features=RICH_FEATURES,
        icon="pilcrow",
        template="blocks/text.html",
        description=_("Paragraphs, headings and lists."),
    )
    image = ImageBlock()
    audio = AudioBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    quiz = QuizBlock()
    h5p = H5PActivityBlock()
    scorm = ScormActivityBlock()
    library_item = LibraryItemBlock()

    class Meta:
        block_counts = {"quiz": {"max_num": 1}}
