"""A class-heavy modern script of about N lines, for the transpile benchmark
and the tests: classes with inheritance, accessors, static members, arrows,
destructuring, template literals, spread, default parameters and for-of.
Deterministic: the same N gives the same text.  Prints its result:
a checksum over what every block computed."""
import sys

BLOCK = '''class Shape{i} extends Base {{
  constructor(w = {i}, h = 2) {{
    super(`shape{i}`);
    this.w = w;
    this.h = h;
  }}
  get area() {{ return this.w * this.h; }}
  set size([w, h]) {{ this.w = w; this.h = h; }}
  static make(...args) {{ return new Shape{i}(...args); }}
  describe({{ prefix = "s", suffix = "" }} = {{}}) {{
    const parts = [prefix, this.name, this.area, suffix];
    return parts.filter(p => p !== "").join(`:`);
  }}
  scaled(k) {{
    const {{ w, h }} = this;
    return Shape{i}.make(w * k, h * k);
  }}
}}
const list{i} = [1, 2, 3].map(k => Shape{i}.make(k, {i} % 7 + 1));
let sum{i} = 0;
for (const s of list{i}) {{
  sum{i} += s.scaled(2).area;
}}
const {{ a: a{i}, ...rest{i} }} = {{ a: sum{i}, b: list{i}.length, c: `${{sum{i}}}` }};
total += a{i} + rest{i}.b + list{i}[0].describe({{ suffix: "x" }}).length;
'''
BLOCK_LINES = BLOCK.count('\n')

HEAD = '''"use strict";
class Base {
  constructor(name) { this.name = name; }
  toString() { return `${this.name}`; }
}
let total = 0;
'''


def source(lines):
    """The script, of about `lines` lines (whole blocks)."""
    blocks = max(1, (lines - HEAD.count('\n') - 1) // BLOCK_LINES)
    return HEAD + ''.join(BLOCK.format(i=i) for i in range(blocks)) + 'total;\n'


if __name__ == '__main__':
    sys.stdout.write(source(int(sys.argv[1]) if len(sys.argv) > 1 else 400))
