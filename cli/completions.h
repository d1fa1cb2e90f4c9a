/* Shell completion scripts generated from the option table. */
#ifndef JSB_COMPLETIONS_H
#define JSB_COMPLETIONS_H

#include <stdio.h>

/* Writes the completion script for shell ("bash", "zsh" or "fish"). */
void jsb_completions_write(FILE *f, const char *shell);

#endif
