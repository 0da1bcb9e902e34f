"""`Hyperparameters`: the parameter half of scikit-learn's estimator contract, without
importing scikit-learn.

`get_params`, `set_params` and `__repr__` read the hyperparameters from `__init__`'s
signature, as `sklearn.base.BaseEstimator` does, so `sklearn.base.clone` and grid searches
work; importing `sklearn.base` costs about a second (it imports scipy.stats), which a model
that only predicts should not pay at every start. `check_fitted` raises scikit-learn's
`NotFittedError`, importing it only then.
"""

from __future__ import annotations

import inspect
from typing import Any, Self

__all__ = ["Hyperparameters", "check_fitted"]


class Hyperparameters:
    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return sorted(
            p.name
            for p in signature.parameters.values()
            if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        )

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Every hyperparameter by name (and, with `deep`, a nested estimator's as
        `name__param`)."""
        params: dict[str, Any] = {}
        for name in self._param_names():
            value = getattr(self, name)
            if deep and hasattr(value, "get_params") and not isinstance(value, type):
                params.update((f"{name}__{k}", v) for k, v in value.get_params().items())
            params[name] = value
        return params

    def set_params(self, **params: Any) -> Self:
        known = self._param_names()
        for name, value in params.items():
            if name not in known:
                raise ValueError(f"{type(self).__name__} has no hyperparameter {name!r}: {known}")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        defaults = inspect.signature(type(self).__init__).parameters
        changed = [
            f"{name}={value!r}"
            for name, value in self.get_params(deep=False).items()
            if defaults[name].default is inspect.Parameter.empty or defaults[name].default != value
        ]
        return f"{type(self).__name__}({', '.join(changed)})"


def check_fitted(model: object, attribute: str) -> None:
    """Raise scikit-learn's NotFittedError unless `model` has `attribute`."""
    if not hasattr(model, attribute):
        from sklearn.exceptions import NotFittedError

        raise NotFittedError(
            f"this {type(model).__name__} is not fitted yet: call fit before using it"
        )
