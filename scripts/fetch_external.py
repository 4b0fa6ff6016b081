"""Fetch the third-party corpora that khabar's tests and baselines read, each file at a pinned
commit of its public source and checked against its SHA-256.

    python scripts/fetch_external.py [--to DIR] [--from DIR]

Without --from, every file of TABLE is downloaded from its source repository at the pinned
commit; with --from DIR it is copied from a local folder laid out as DIR/<corpus>/<file> (for
example a shared copy made earlier). Either way each file must have the SHA-256 of the table,
or it is not written. The target (default: `external/` in the folder beside the checkout,
`../shared/external`, where the tests look when KHABAR_EXTERNAL is unset) is never changed
otherwise: a file already there with the right checksum is kept, one with another checksum stops
the script (exit 1), and new files are written atomically (temporary name, then rename).

The tests find the data through KHABAR_EXTERNAL or ../shared/external and skip, naming this
script, when it is absent. The corpora keep their own licences (column `licence`; each corpus's
licence file, where its source ships one, is fetched with it). They are test material: never copy
them into corpus/ or releases/.

Exit codes: 0 all files present and checked, 1 a checksum mismatch, 2 a usage, network or I/O
error. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TARGET = REPO.parent / "shared" / "external"


@dataclass(frozen=True)
class ExternalFile:
    """One file of a third-party corpus: where it goes, where it comes from, its licence and digest."""

    target: str  # path under the external folder: <corpus>/<file>
    repository: str  # GitHub owner/name of the public source
    commit: str  # the pinned commit (abbreviated where the source was recorded so)
    source_path: str  # path of the file in that repository
    licence: str
    sha256: str

    @property
    def url(self) -> str:
        # github.com/<repo>/raw/<commit>/<path> resolves abbreviated commits too
        return f"https://github.com/{self.repository}/raw/{self.commit}/{self.source_path}"


# the repositories and commits the corpora were taken from, and their licences
_ANERCORP = ("bvanaken/visbert", "8c0f4a8b8eb821dca6d947206c3e3cbad9cda693",
             "CC BY-SA 4.0 (as stated by the CAMeL Lab ANERcorp page)")
_NEWSFANE = ("bvanaken/visbert", "8c0f4a8b8eb821dca6d947206c3e3cbad9cda693", "CC BY-SA 3.0 Unported (License.txt)")
_AQMAR = ("HussamHallak/AQMAR-Arabic-NERC-Dataset", "02afd80a2c645b52e66d00e162cc5d652cbe6ef5",
          "CC BY-SA 3.0 (per the AQMAR site; the repository has no licence file)")
_AQMAR_LIU = ("LiyuanLucasLiu/ArabicNER", "d1fae34",
              "derived from AQMAR (CC BY-SA 3.0); the repository's Apache-2.0 (LICENSE.repo) covers its code")
_WOJOOD = ("SinaLab/ArabicNER", "ef3a7f4", "MIT (LICENSE.repo); the full Wojood corpus is available on request only")
_NEWSFANE_DIR = "data/Finegrained/WikiFANE_2014_Gold_standard"
_SAUDINEWSNET = ("parallelfold/SaudiNewsNet", "4e39239",
                 "CC BY-NC-SA 4.0, for open scientific research; each article's copyright stays with its newspaper")
_SAUDINEWSNET_DAYS = {
    "2015-07-21": "7a413b5e1548ad38ca756cdf33c2d5aca1e2c7772a8b8b15679d771f5f6ba29c",
    "2015-07-22": "09156f62f372b14e37c8bd0fd44eab3a9e1184d9ed96c2891174f3ee9534052f",
    "2015-07-23": "41a805d15e45fc8919d6ec6f3a577798a778568ce668224091ac434820ae8858",
    "2015-07-24": "844ceef1647ca7a3ef843e5c33959e36c538a49697739da15e2227877ad1ba99",
    "2015-07-25": "62fb91f52d3b93dc8f89845e8c23e2650b1f8fe10e0c60378da8a2ad24b81911",
    "2015-07-26": "53d360aa514cc6ca436899f7aeb5bb5f6ee2fc58a3ef40bad243b62c2c88cde2",
    "2015-07-27": "b4fe93e9015451d4648146940f6e8e3bf643330ecbbc666b3ad430b995ddad0a",
    "2015-07-31": "d4933c2c06090dc70796f44af5d8e59f4a45f0c0a13d5a1841a76b935615c26a",
    "2015-08-01": "c4330bd9d685aa8fe1c70171c2c3e265dd5a21f5109c10ca8e3d0a92a81b2354",
    "2015-08-02": "b8cfb39bf0ea66ed282a8f88b5deefd0cf234ff8a57f763621f333b5f7be5c9b",
    "2015-08-03": "c17a6e0eedc6c30d30fdfb9c3a86c42670ee893c23fe2096f5cb5f2ffc18fcd6",
    "2015-08-04": "a0b7a5e4da847133bd0e943012299e867102c9572529574636976dafb6a03c69",
    "2015-08-06": "b731d37ae21ae14bc43660ed6679bdabc7d036796989f5750a55d990b1881dc8",
    "2015-08-07": "6ae3fbb6387038c0fa174c35a2d37dbb8b29f656a56866ca22ca50254809514f",
    "2015-08-08": "880c650edd04155a888d8d6b81d873b2742ac91e08429acd9fcdd41d733d29af",
    "2015-08-09": "fa9302785d72810263d6d14e2fe7cb8f7ba19e72426740b8b86a33b8d06a420f",
    "2015-08-10": "616411ca4b63fa255089f3cafd196cded1cf69c4e5dd7adefc9d446070e0370c",
    "2015-08-11": "7d3362d4fd07ec2194af70e79745a20ccbcfa57033267615591c2f9dcf40d2ec",
}

_AQMAR_ARTICLES = {
    "Atom": "f6c2aa13bb55177f9eada502102b2d19fb493210bc8757ff34b38f66520705ab",
    "Christiano_Ronaldo": "189355da6ea5aee9917fde22e4fee8a8e8eda874096fcb25e31ac2ebc0d3316c",
    "Computer": "1f4010d40e99eb92c11f5a6baff33e3f72411253c31c6c3fb7864526f1a67f07",
    "Computer_Software": "9bb4e1420396568515f6a4f72dd0394416acbc114b7b107f1ad03a64b6ffeb18",
    "Crusades": "5ccefacdb560783223c1d2c9040ee847c2f152ef107b3f65d99d7914570100d9",
    "Damascus": "ceca4da7ae6ac4dd96eabd14bff1f2e69200ccacf76c47a81448cdcec9c8ee65",
    "Enrico_Fermi": "e22429380d78ae2a6c46ba7f927a0a42fad1249634785cd0307a52b942f28c38",
    "Football": "cdd8e84cdc6e5b263418c68b731c25e01a07aaeaa018c95d16c9c1078909535e",
    "Ibn_Tolun_Mosque": "44af109c554bf5085f7698a87d459eeecac3980974eb7e97dcc540588d580973",
    "Imam_Hussein_Shrine": "696b8adb27f87010687858d3e0df46515770d5a13aab0104a2a6ac0753a115b4",
    "Internet": "b4b6229848b7c99348df13005d38d4456f702268935b1eb5ae43495174550e25",
    "Islamic_Golden_Age": "9fa7c5db7e435433556c8d6287a68d44a1b77d96f4e3811792bdd475a3eaf17e",
    "Islamic_History": "dc4a1605802b472855feccff9e048d81674d953e4ca1bdeb06e4a88abc159528",
    "Light": "85461769826ec4f9152b7a3b05da151b627a3974eb1502e45782253aba27803d",
    "Linux": "6345bbd09bd04bb35f666e87cc33fd7b4e517056a6c43daa71810f9b33ac37c5",
    "Nuclear_Power": "bb6de33082174d258b1ecbeba58541a5e09de2f3d143b44cfc6f0ce74326469e",
    "Periodic_Table": "45ce1419d04d87567656e80a4d9c4349449f72ba0e8972545287fc5cffbdfd07",
    "Physics": "4111596063a364b0d267afad00f66cedb2ee5b66a9606b7c3e2f92951a73e555",
    "Portugal_football_team": "791e39e63eeb21e86b1acedb2b8db616593db9a2f9998eab205553ac3298feb5",
    "Raul_Gonzales": "00f2bfa6647e9a61c0f354468117e8560fd46c02847b888e2e2499ab8da9874e",
    "Razi": "8c20434643c1223825d3713fb02bdfe2d1913cc3a4c4b9e90120b5a7fb9118b3",
    "Real_Madrid": "2268574b7e5f04cd5a110bd51e6b8b8ddb7a786c8cad2acb4bb67cd241ac40e5",
    "Richard_Stallman": "f6450a922501504101141c56fd889ae9dcf3431382551e3da198326cb5d36c39",
    "Soccer_Worldcup": "16779921163a4dd95a9b3c4609382f2235a69e40db868cc3dfde3c22287e7148",
    "Solaris": "5fbf29104679b8bf06ce23af85af447b33699988edf650c68733a4cf70425f3c",
    "Summer_Olympics2004": "39ca8b87dfde97c282fcd9daf34c9b1fd7a0af897851cc8031908417a720b361",
    "Ummaya_Mosque": "c523ed5eb9ba1227803c72464275c20c74c42dceceb97098d9deb024d0bdda98",
    "X_window_system": "bd2e08e8fae0441c4c793324847ddcf7d582cdf33c42f44bef06d421443aeaf0",
}

# THE table: one row per file. The tests, the baselines script and README's licence notes refer here.
TABLE: tuple[ExternalFile, ...] = (
    ExternalFile("anercorp-camel-test/ANERCorp_CamelLab_test.txt", *_ANERCORP[:2], "data/ANERCorp_CamelLab_test.txt",
                 _ANERCORP[2], "0eac2e38f4e8e3059cb58b9691b92d7720499a595b10919326b6a512d297ffe9"),
    ExternalFile("newsfane-gold/NewsFANE_Gold_2014_170K.txt", *_NEWSFANE[:2], f"{_NEWSFANE_DIR}/NewsFANE_Gold_2014_170K.txt",
                 _NEWSFANE[2], "448b4e7695ce6129c2c5cdd7d460f9eb43319e651f875b1ffbdbe40f8c70480b"),
    ExternalFile("newsfane-gold/License.txt", *_NEWSFANE[:2], f"{_NEWSFANE_DIR}/License.txt",
                 _NEWSFANE[2], "0ad3012150ed39b418a7cf58538d92d0dba9b9c49b61c958a1e9c27e138e0bdb"),
    ExternalFile("newsfane-gold/Readme.txt", *_NEWSFANE[:2], f"{_NEWSFANE_DIR}/Readme.txt",
                 _NEWSFANE[2], "64d994cc8dcfd5110a3ba8c73fc46b6be334fcc4159f75d1cb7755c81ed77d17"),
    ExternalFile("aqmar/README.repo.md", *_AQMAR[:2], "README.md",
                 _AQMAR[2], "c22a21a40236715dd64f1c04bfa89d218eb319593ec11fdb5ae1d9d85a521c2a"),
    *(ExternalFile(f"aqmar/articles/{name}.txt", *_AQMAR[:2], f"aqmar/articles/{name}.txt", _AQMAR[2], digest)
      for name, digest in _AQMAR_ARTICLES.items()),
    ExternalFile("aqmar-liu2019/train.txt", *_AQMAR_LIU[:2], "data/train.txt",
                 _AQMAR_LIU[2], "c6a40817d40aaa33fb99621eb1d782d16eb935a30653b4ae7af564493395619a"),
    ExternalFile("aqmar-liu2019/dev.txt", *_AQMAR_LIU[:2], "data/dev.txt",
                 _AQMAR_LIU[2], "0148efea4a5047cbf9e90f2a09d4f0916f95e9ec02f16c6c2dff6081720f6a9a"),
    ExternalFile("aqmar-liu2019/test.txt", *_AQMAR_LIU[:2], "data/test.txt",
                 _AQMAR_LIU[2], "fd626fd1d5a7b7811f15150504eca626812329531f66b5b50adeee5274efeeeb"),
    ExternalFile("aqmar-liu2019/truth.csv", *_AQMAR_LIU[:2], "data/truth.csv",
                 _AQMAR_LIU[2], "cd0de4800dd972e4bf9e393edf34db1a7da173e71feff020cf071416d839360f"),
    ExternalFile("aqmar-liu2019/LICENSE.repo", *_AQMAR_LIU[:2], "LICENSE",
                 _AQMAR_LIU[2], "c71d239df91726fc519c6eb72d318ec65820627232b2f796219e87dcf35d0ab4"),
    ExternalFile("aqmar-liu2019/README.repo.md", *_AQMAR_LIU[:2], "README.md",
                 _AQMAR_LIU[2], "4a53918f2cc8e1aeb7c169049f6e0d2cf13f4556edd3c1b42e09a80a84f3db75"),
    ExternalFile("wojood-sample/train.txt", *_WOJOOD[:2], "data/train.txt",
                 _WOJOOD[2], "807128c8387d82175e916262a1258801ff78b7439e37defc5bbbb62144a864de"),
    ExternalFile("wojood-sample/val.txt", *_WOJOOD[:2], "data/val.txt",
                 _WOJOOD[2], "714973e99d6ab5855b583387e8b3974d89b35038990192231610e625582a39fa"),
    ExternalFile("wojood-sample/test.txt", *_WOJOOD[:2], "data/test.txt",
                 _WOJOOD[2], "28b02687c1619df1edacbbd4f9fdc43dddfa01f4221b633300fe47459f900a42"),
    ExternalFile("wojood-sample/LICENSE.repo", *_WOJOOD[:2], "LICENSE",
                 _WOJOOD[2], "87f155859e3a26d1f38977a64abdd07212b28c057c24dd54e7bc0d8f583f58b6"),
    ExternalFile("wojood-sample/README.repo.md", *_WOJOOD[:2], "README.md",
                 _WOJOOD[2], "1cf32822fb0541687fc54e7a00d205180e1a5d847f57e95bbd268f078d9039ca"),
    # SaudiNewsNet: the source of annotation batch 01 (corpus/2015) and of the import news tests
    *(ExternalFile(f"saudinewsnet/{day}.zip", *_SAUDINEWSNET[:2], f"dataset/{day}.zip", _SAUDINEWSNET[2], digest)
      for day, digest in _SAUDINEWSNET_DAYS.items()),
    ExternalFile("saudinewsnet/UPSTREAM-README.md", *_SAUDINEWSNET[:2], "README.md",
                 _SAUDINEWSNET[2], "d61adf72dd5ad294d5ca8bdbddcfc8c2c05395da795f83ec4df0fb015c7ff4ea"),
)

FETCH_COMMAND = "python scripts/fetch_external.py"


def external_dir() -> Path:
    """Where the tests and scripts look: $KHABAR_EXTERNAL, else ../shared/external beside the checkout."""
    configured = os.environ.get("KHABAR_EXTERNAL")
    return Path(configured) if configured else DEFAULT_TARGET


def missing_files(folder: Path) -> list[str]:
    """The table's files that folder lacks (an empty list: the folder holds every one)."""
    return [item.target for item in TABLE if not (folder / item.target).is_file()]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Mismatch(Exception):
    """A file whose bytes do not have the table's SHA-256 (exit 1)."""


def _download(item: ExternalFile, timeout: float) -> bytes:
    request = urllib.request.Request(item.url, headers={"User-Agent": "khabar-fetch-external"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https URL from the table)
        return response.read()


def _write_new(path: Path, data: bytes) -> None:
    """Write data to path atomically; path must not exist (checked by the caller)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.link(temporary, path)  # fails if path appeared meanwhile: never overwrite
    finally:
        os.unlink(temporary)


def fetch(target: Path, source: Path | None = None, say=print, timeout: float = 60.0) -> tuple[int, int]:
    """Bring every file of TABLE into target: (files written, files already present).

    source: a local folder to copy from instead of downloading. Raises Mismatch when a file
    (fetched, copied or already in target) has another SHA-256 than the table's, OSError and
    urllib.error.URLError for I/O and network failures. Nothing is written for a file that fails.
    """
    written = present = 0
    for item in TABLE:
        destination = target / item.target
        if destination.exists():
            if sha256_of(destination.read_bytes()) != item.sha256:
                raise Mismatch(f"{destination}: exists with another SHA-256 than {item.target}'s in the table; "
                               f"not overwritten (move it away and run again)")
            present += 1
            continue
        data = (source / item.target).read_bytes() if source is not None else _download(item, timeout)
        digest = sha256_of(data)
        if digest != item.sha256:
            origin = source / item.target if source is not None else item.url
            raise Mismatch(f"{origin}: SHA-256 {digest} differs from the table's {item.sha256}; not written")
        _write_new(destination, data)
        written += 1
        say(f"wrote {destination} ({len(data):,} bytes; {item.licence})")
    return written, present


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" + ("" if number == 1 else "s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--to", type=Path, default=DEFAULT_TARGET, metavar="DIR",
                        help="folder to fill (default: ../shared/external beside the checkout; tests read "
                             "$KHABAR_EXTERNAL when set, else that folder)")
    parser.add_argument("--from", dest="source", type=Path, metavar="DIR",
                        help="copy from this local folder (DIR/<corpus>/<file>) instead of downloading")
    args = parser.parse_args(argv)
    if args.source is not None and not args.source.is_dir():
        print(f"fetch_external: error: {args.source}: no such folder", file=sys.stderr)
        return 2
    try:
        written, present = fetch(args.to, args.source)
    except Mismatch as error:
        print(f"fetch_external: error: {error}", file=sys.stderr)
        return 1
    except urllib.error.URLError as error:
        print(f"fetch_external: error: download failed: {getattr(error, 'reason', error)}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"fetch_external: error: {error.filename or ''}: {error.strerror or error}", file=sys.stderr)
        return 2
    print(f"{args.to}: {_count(written, 'file')} written, {present} already present; "
          f"all {len(TABLE)} match the table's SHA-256", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
