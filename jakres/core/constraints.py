"""Constraint violations a secretary can read, next to the field they concern.

Django names the constraint ("Batasan “event_end_date_not_before_start” dilanggar.") or
the raw fields ("person" and "role") and puts the error on top of the form. A model
with this mixin shows each constraint's own `violation_error_message` instead, on the
field its `constraint_fields` names for it (else on the whole form).
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import router


class ReadableConstraints:
    # constraint name → the field its message is shown next to
    constraint_fields: dict = {}

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = self.constraint_fields.get(constraint.name, NON_FIELD_ERRORS)
                    if exclude and field in exclude:
                        field = NON_FIELD_ERRORS  # not on the form: say it on top
                    message = constraint.get_violation_error_message()
                    errors.setdefault(field, []).append(
                        ValidationError(message, code=error.code or constraint.name)
                    )
        if errors:
            raise ValidationError(errors)
