from tensorlint.findings import Severity
from tensorlint.rule import Rule


class SyntaxErrorRule(Rule):
    """
    ## What it does
    Reports a file that cannot be parsed, at the position of the error. The top-level
    statements that parse on their own are still analyzed without the broken one (a warning
    names the lines left out), and no fix is offered in such a file. A file whose bytes cannot
    be decoded (not valid UTF-8 and no coding declaration, or an unknown codec declared) is
    reported the same way, at the line of the first bad byte, and nothing else is reported for it.

    ## Why is this bad?
    A file that does not parse cannot run, and tensorlint cannot check the statement that
    does not parse.

    ## Example
    ```python
    import torch
    x = torch.randn(2, 3
    ```

    ## Use instead
    ```python
    import torch
    x = torch.randn(2, 3)
    ```

    ## Fix safety
    There is no fix. The language server shows this finding only when `showSyntaxErrors` is
    set, because editors already underline syntax errors.
    """

    code = "TL001"
    name = "syntax-error"
    severity = Severity.ERROR
    summary = "The file cannot be parsed."
    failing = ("import torch\nx = torch.randn(2, 3  # TL001\n",)
    passing = ("import torch\nx = torch.randn(2, 3)\n",)
    lookalikes = ("import torch\nx = (torch.randn(2, 3)\n     + 1)\n",)
