"""A dataset class of the program given a torchvision transform: the transform is checked
against the images its `__getitem__` makes (PIL images of a written mode), where the dataset is
built; the class may live in a module of the project that a function nobody calls in the
checked file imports, also from a folder without `__init__.py` (`utils/`)."""
import textwrap

from tensorlint.engine import analyze
from tensorlint.config import Config

ALL = Config(select=("ALL",))

DATASET = textwrap.dedent("""
    import torch
    import torch.utils.data as data
    from PIL import Image


    class Digits(data.Dataset):
        def __init__(self, root, train=True, transform=None):
            self.transform = transform
            self.train = train
            if self.train:
                self.images = torch.load(root + '/train.pt')
            else:
                self.images = torch.load(root + '/test.pt')

        def __getitem__(self, index):
            img = Image.fromarray(self.images[index].numpy(), mode='{mode}')
            if self.transform is not None:
                img = self.transform(img)
            return img, 0

        def __len__(self):
            return len(self.images)
""")

LOADER = textwrap.dedent("""
    import torchvision.transforms as transforms
    from {module} import Digits


    def get_loader(args):
        if args.dataset == 'digits':
            trans = transforms.Compose([transforms.Resize(32), transforms.ToTensor(),
                                        transforms.Normalize({means}, {means})])
            ds = Digits(args.root, train=True, transform=trans)
        else:
            ds = None
        return ds
""")


def _tl201(path, text):
    path.write_text(text)  # (the checked file is on disk, beside its project's modules)
    return [f for f in analyze(text, str(path), ALL).findings if f.code == "TL201"]


def test_dataset_of_a_sibling_module_in_a_folder_without_init(tmp_path):
    (tmp_path / "utils").mkdir()
    (tmp_path / "utils" / "digits.py").write_text(DATASET.format(mode="L"))
    text = LOADER.format(module="utils.digits", means="(0.5, 0.5, 0.5)")
    found = _tl201(tmp_path / "utils" / "loader.py", text)
    assert [f.line for f in found] == [9]
    assert "1 channel" in found[0].message and "line None" not in found[0].message


def test_dataset_of_a_module_beside_the_file(tmp_path):
    (tmp_path / "digits.py").write_text(DATASET.format(mode="L"))
    found = _tl201(tmp_path / "loader.py", LOADER.format(module="digits", means="[0.5] * 3"))
    assert [f.line for f in found] == [9]


def test_lookalikes_stay_silent(tmp_path):
    (tmp_path / "utils").mkdir()
    (tmp_path / "utils" / "digits.py").write_text(DATASET.format(mode="L"))
    (tmp_path / "rgb.py").write_text(DATASET.format(mode="RGB"))
    # one mean per channel of a grayscale image
    assert not _tl201(tmp_path / "utils" / "loader.py", LOADER.format(module="utils.digits", means="(0.5,)"))
    # three means for RGB images
    assert not _tl201(tmp_path / "loader.py", LOADER.format(module="rgb", means="(0.5, 0.5, 0.5)"))
    # a folder named otherwise: `utils.digits` names no module the file's place tells
    (tmp_path / "other").mkdir()
    assert not _tl201(tmp_path / "other" / "loader.py", LOADER.format(module="utils.digits", means="(0.5, 0.5, 0.5)"))


def test_class_statement_test_is_the_word_pattern():
    """The quick test finds `class <name>` exactly where `\\bclass\\s+<name>\\b` does."""
    import re

    from tensorlint.interp.modules import class_statement_in

    texts = ["class Digits(data.Dataset):", "x = 1\nclass  Digits:", "class\tDigits\n", "subclass Digits:",
             "myclass Digits", "class DigitsMore:", "class Digit:", "(class Digits)", "_class Digits",
             "éclass Digits", "class\nDigits", "aclass Digits\nclass Digits:", "class Digits", "",
             "subclass Digits\n  class Digits", "class Digitsé", "class Dig.its", "classDigits"]
    for name in ("Digits", "Digit", "Dig.its"):
        for text in texts:
            assert class_statement_in(text, name) == bool(
                re.search(rf"\bclass\s+{re.escape(name)}\b", text)), (text, name)


def test_dataset_module_edited_between_analyses(tmp_path):
    """What a module's text says of its classes is kept while the file is unchanged, and read
    again once it changes (the data set class added, then taken away)."""
    import os

    plain = DATASET.format(mode="L").replace("def __getitem__", "def item")
    loader = tmp_path / "loader.py"
    text = LOADER.format(module="digits", means="[0.5] * 3")
    digits = tmp_path / "digits.py"
    digits.write_text(plain)
    assert not _tl201(loader, text)
    assert not _tl201(loader, text)
    digits.write_text(DATASET.format(mode="L"))
    os.utime(digits, ns=(1, 1_000_000_000))  # (a size and a time its first version had not)
    assert [f.line for f in _tl201(loader, text)] == [9]
    digits.write_text(plain + "\n")
    assert not _tl201(loader, text)
