#!/usr/bin/env python3
"""Writes the Unicode property data of \\p{...} for the transpiler heap:
__jsbUnicodeData (the names ECMAScript accepts, with their aliases, and the
code points of every General_Category value, Script, Script_Extensions and
binary property, as base-36 gaps between range ends, and the strings of
the properties of strings the v flag allows, about 200 KB) then
the lookup in engine/confined/modern/unicode.js.  The data comes from the
npm packages package.json pins (regenerate-unicode-properties and the
unicode-*-ecmascript alias tables), read under Node at build time; their
Unicode version is the one recorded in __jsbUnicodeData.unicodeVersion.

usage: unicode_bundle.py OUT NODE NODE_MODULES_DIR UNICODE_JS"""
import subprocess
import sys

from bundle_text import read

TABLES = r"""
const fs = require('fs'), top = require('path').resolve(process.argv[1]);
const sets = top + '/regenerate-unicode-properties/';
const valueAliases = require(top + '/unicode-property-value-aliases-ecmascript');
const data = { unicodeVersion: require(sets + 'unicode-version.js'), properties: {}, values: {}, sets: {} };
for (const kind of ['General_Category', 'Script', 'Script_Extensions', 'Binary_Property']) {
	for (const file of fs.readdirSync(sets + kind).sort()) {
		const name = file.replace(/\.js$/, ''), gaps = [];
		let at = 0;
		for (const end of require(sets + kind + '/' + file).characters.data) {
			gaps.push((end - at).toString(36));
			at = end;
		}
		data.sets[kind + '/' + name] = gaps.join(' ');
		if (kind === 'Binary_Property')
			data.properties[name] = name;
		else
			(data.values[kind] = data.values[kind] || {})[name] = name;
	}
}
data.stringSets = {};
for (const file of fs.readdirSync(sets + 'Property_of_Strings').sort()) {
	const set = require(sets + 'Property_of_Strings/' + file), gaps = [];
	let at = 0;
	for (const end of set.characters.data) {
		gaps.push((end - at).toString(36));
		at = end;
	}
	data.stringSets[file.replace(/\.js$/, '')] = { ranges: gaps.join(' '), strings: set.strings };
}
for (const kind of ['General_Category', 'Script', 'Script_Extensions'])
	data.properties[kind] = kind;
for (const [alias, name] of require(top + '/unicode-property-aliases-ecmascript'))
	if (data.properties[name])
		data.properties[alias] = name;
for (const kind of ['General_Category', 'Script', 'Script_Extensions'])
	for (const [alias, name] of valueAliases.get(kind) || valueAliases.get('Script'))
		if (data.values[kind][name])
			data.values[kind][alias] = name;
process.stdout.write(JSON.stringify(data));
"""


def main():
    out, node, top, unicode_js = sys.argv[1:5]
    tables = subprocess.run([node, "-e", TABLES, top], capture_output=True, text=True)
    if tables.returncode != 0:
        sys.exit("unicode_bundle: reading the Unicode property data failed:\n" + tables.stderr)
    with open(out, "w", encoding="utf-8") as f:
        f.write("var __jsbUnicodeData = %s;\n%s" % (tables.stdout, read(unicode_js)))


main()
