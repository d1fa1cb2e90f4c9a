/* The generator and async function transform's entry point, appended after
 * the regenerator bundle and loaded into the transpiler heap only for
 * sources that may contain generators or async functions.
 * __jsbRegenerate(code, parse) -> ES5 code: rewrites each outermost
 * generator or async function of buble's output into a state machine
 * driven by regeneratorRuntime, printed (print.js) on the lines it
 * had, so that the rest of the code keeps its lines too. */
var __jsbRegenerate = (function (regenerator) {
	'use strict';
	var transform = regenerator.transform, types = regenerator.types, b = types.builders;
	var anonymous = 0;
	var FUNCTIONS = { FunctionDeclaration: 1, FunctionExpression: 1, ArrowFunctionExpression: 1 };
	var SKIP = { range: 1, loc: 1, type: 1, start: 1, end: 1 };

	var source = '';

	/* An error at offset at of the source, placed as the parser places its own. */
	function located(message, at) {
		var before = source.slice(0, at).split('\n'), e = new SyntaxError(message);
		e.loc = { line: before.length, column: before[before.length - 1].length };
		return e;
	}

	/* Collects the outermost generator and async functions below node,
	 * each with the block (or program) that holds it; await outside
	 * them is an error. */
	function outermost(node, block, found) {
		if (!node || typeof node !== 'object')
			return;
		if (Array.isArray(node)) {
			for (var i = 0; i < node.length; i++)
				outermost(node[i], block, found);
			return;
		}
		if (typeof node.type !== 'string')
			return;
		if (node.type === 'AwaitExpression')
			throw located('top-level await is not supported', node.range[0]);
		if (FUNCTIONS[node.type] && (node.generator || node.async)) {
			found.push({ fn: node, block: block });
			return;
		}
		var inner = node.type === 'Program' || node.type === 'BlockStatement' ? node : block;
		for (var k in node)
			if (!SKIP[k] && node[k] && typeof node[k] === 'object')
				outermost(node[k], inner, found);
	}

	/* Where a statement placed first in block runs before anything else in
	 * it: after the opening brace and the directives ("use strict"). */
	function blockStart(block) {
		var at = block.type === 'BlockStatement' ? block.range[0] + 1 : 0;
		for (var i = 0; i < block.body.length && block.body[i].directive !== undefined; i++)
			at = block.body[i].range[1];
		return at;
	}

	/* The ES5 text of one generator or async function, on the lines it
	 * had (as far as it can). */
	function rewrite(fn) {
		var decl = fn.type === 'FunctionDeclaration', root;
		if (decl) {
			root = new types.NodePath(fn);
		} else {
			if (!fn.id && fn.type === 'FunctionExpression')
				fn.id = b.identifier('callee$gen$' + anonymous++);
			root = new types.NodePath(b.expressionStatement(fn));
		}
		transform(root, { includeRuntime: false });
		var node = decl ? root.value : root.value.expression;
		var printed = __jsbPrint(node, fn.loc.start.line);
		return printed.code + new Array(fn.loc.end.line - printed.line + 1).join('\n');
	}

	return function (code, parse) {
		var found = [];
		source = code;
		outermost(parse(code), null, found);
		var edits = [];
		for (var i = 0; i < found.length; i++) {
			var fn = found[i].fn, generator = fn.generator, decl = fn.type === 'FunctionDeclaration';
			/* An async function inherits from AsyncFunction.prototype:
			 * marked as regenerator marks a generator (the runtime's
			 * markAsync), an expression where it is made. */
			var mark = generator ? 'mark' : 'markAsync', text = rewrite(fn);
			if (!decl && !generator)
				text = 'regeneratorRuntime.markAsync(' + text + ')';
			edits.push({ start: fn.range[0], end: fn.range[1], text: text });
			/* A declaration can be called before its place: mark it where
			 * its scope begins, as regenerator does, without a completion
			 * value (the script's result may be its completion). */
			if (decl) {
				var at = blockStart(found[i].block);
				edits.push({ start: at, end: at, text: 'void regeneratorRuntime.' + mark + '(' + fn.id.name + ');' });
			}
		}
		/* Duktape's sort is not stable (a random pivot): marks inserted at
		 * the same place keep the order of their functions, else the
		 * translation changed from run to run. */
		for (var k = 0; k < edits.length; k++)
			edits[k].order = k;
		edits.sort(function (x, y) { return x.start - y.start || x.end - y.end || x.order - y.order; });
		var out = [], last = 0;
		for (var j = 0; j < edits.length; j++) {
			out.push(code.slice(last, edits[j].start), edits[j].text);
			last = edits[j].end;
		}
		out.push(code.slice(last));
		return out.join('');
	};
})(regenerator);
