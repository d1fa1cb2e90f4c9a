"""The built-ins polyfill.js adds are installed when the source names them
(polyfill_words in engine/confined/modern/modern.c): every name it adds must
have its trigger, so the word list cannot fall out of step with it."""
import concurrent.futures

from jsbox_test import expect, run

# Lists the own names of the global object and of the built-ins' constructors
# and prototypes, naming none of the trigger words itself.
LIST = r"""
var G = this, out = [];
var targets = ['Object', 'Arr'+'ay', 'Str'+'ing', 'Num'+'ber', 'Ma'+'th', 'Sym'+'bol', 'Pro'+'mise',
               'Reg'+'Exp', 'Fun'+'ction', 'Error', 'JSON', 'Da'+'te'];
Object.getOwnPropertyNames(G).forEach(function (n) { out.push(n); });
targets.forEach(function (t) {
  var C = G[t];
  if (!C) return;
  Object.getOwnPropertyNames(C).forEach(function (n) { out.push(t + '.' + n); });
  if (C.prototype) Object.getOwnPropertyNames(C.prototype).forEach(function (n) { out.push(t + '.prototype.' + n); });
});
out.join(' ')
"""
# Properties every function has, which a wrapped constructor shows anew.
FUNCTION_OWN = {"arguments", "caller", "fileName", "length", "name", "prototype", "constructor"}


def names(code):
    res = expect(run("--profile", "permissive", "-r", "-e", code), code=0)
    return set(res.out.split())


def added_names():
    before, after = names(LIST), names("Symbol;" + LIST)
    return sorted(n for n in after - before
                  if not n.startswith("__jsb") and n.split(".")[-1] not in FUNCTION_OWN)


def named_alone(path):
    """A script whose only mention of the built-in is a call of it."""
    owner, _, name = path.rpartition(".")
    code = ("var o = %s; 0 && o.%s(); typeof o.%s" % (owner, name, name)) if owner \
        else "0 && %s(); typeof %s" % (name, name)
    return path, run("-r", "-e", code).out.strip()


def test_every_polyfilled_name_has_its_trigger():
    added = added_names()
    assert len(added) > 80 and "Array.prototype.flat" in added and "Map" in added, added
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        missing = [path for path, kind in pool.map(named_alone, added) if kind == "undefined"]
    assert not missing, "polyfilled but never installed by their name: %s" % missing
