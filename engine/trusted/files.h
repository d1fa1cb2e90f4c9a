/* readFile() for the permissive profile with --allow-read.  The evaluator
 * never opens files: it asks the supervisor over a socket, and the
 * supervisor checks the path and passes back an open descriptor. */
#ifndef JSB_FILES_H
#define JSB_FILES_H

#include "engine/confined/eval.h"
#include "policy/policy.h"

/* Evaluator side: installs readFile(path): [ ... global ] -> [ ... global ]. */
void jsb_files_install(struct jsb_eval *ev);

/* Supervisor side: answers one request waiting on sock. */
void jsb_files_serve(int sock, const struct jsb_policy *policy);

#endif
