/* version.h - the tool version, printed in every emitted file. */
#ifndef TF_VERSION_H
#define TF_VERSION_H
#define TF_VERSION "0.1.0"
#endif
