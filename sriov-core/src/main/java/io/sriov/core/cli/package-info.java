/** Reading the executables' command lines: one flag reader and the error that names the flag. */
package io.sriov.core.cli;
