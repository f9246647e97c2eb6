package io.poolscope.samples.shapes;

import io.poolscope.samples.DataSourceBase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;

/**
 * A getConnection(String, String) with 140 long locals in straight-line code: over 255 local slots,
 * so loads and stores of the later ones are {@code wide} instructions, and so is any local the
 * weaver adds after them. It also reassigns a local and a parameter, and declares more two-slot
 * locals after a branch. Generated: one local per line, v(i) = v(i-1) + 1.
 */
public class WideLocalsSource extends DataSourceBase {

  public static final int LONG_LOCALS = 140;

  public final Connection connection;
  public String lastLogin;
  public long lastSum;
  public double lastHalf;

  public WideLocalsSource(Connection connection) {
    this.connection = connection;
  }

  @Override
  public Connection getConnection() throws SQLException {
    throw new SQLFeatureNotSupportedException("user and password, please");
  }

  /**
   * Sums 140 consecutive longs starting at the user name's length: 140 * length + 9730.
   */
  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    String who = user;
    long v0 = who.length();
    long v1 = v0 + 1L;
    long v2 = v1 + 1L;
    long v3 = v2 + 1L;
    long v4 = v3 + 1L;
    long v5 = v4 + 1L;
    long v6 = v5 + 1L;
    long v7 = v6 + 1L;
    long v8 = v7 + 1L;
    long v9 = v8 + 1L;
    long v10 = v9 + 1L;
    long v11 = v10 + 1L;
    long v12 = v11 + 1L;
    long v13 = v12 + 1L;
    long v14 = v13 + 1L;
    long v15 = v14 + 1L;
    long v16 = v15 + 1L;
    long v17 = v16 + 1L;
    long v18 = v17 + 1L;
    long v19 = v18 + 1L;
    long v20 = v19 + 1L;
    long v21 = v20 + 1L;
    long v22 = v21 + 1L;
    long v23 = v22 + 1L;
    long v24 = v23 + 1L;
    long v25 = v24 + 1L;
    long v26 = v25 + 1L;
    long v27 = v26 + 1L;
    long v28 = v27 + 1L;
    long v29 = v28 + 1L;
    long v30 = v29 + 1L;
    long v31 = v30 + 1L;
    long v32 = v31 + 1L;
    long v33 = v32 + 1L;
    long v34 = v33 + 1L;
    long v35 = v34 + 1L;
    long v36 = v35 + 1L;
    long v37 = v36 + 1L;
    long v38 = v37 + 1L;
    long v39 = v38 + 1L;
    long v40 = v39 + 1L;
    long v41 = v40 + 1L;
    long v42 = v41 + 1L;
    long v43 = v42 + 1L;
    long v44 = v43 + 1L;
    long v45 = v44 + 1L;
    long v46 = v45 + 1L;
    long v47 = v46 + 1L;
    long v48 = v47 + 1L;
    long v49 = v48 + 1L;
    long v50 = v49 + 1L;
    long v51 = v50 + 1L;
    long v52 = v51 + 1L;
    long v53 = v52 + 1L;
    long v54 = v53 + 1L;
    long v55 = v54 + 1L;
    long v56 = v55 + 1L;
    long v57 = v56 + 1L;
    long v58 = v57 + 1L;
    long v59 = v58 + 1L;
    long v60 = v59 + 1L;
    long v61 = v60 + 1L;
    long v62 = v61 + 1L;
    long v63 = v62 + 1L;
    long v64 = v63 + 1L;
    long v65 = v64 + 1L;
    long v66 = v65 + 1L;
    long v67 = v66 + 1L;
    long v68 = v67 + 1L;
    long v69 = v68 + 1L;
    long v70 = v69 + 1L;
    long v71 = v70 + 1L;
    long v72 = v71 + 1L;
    long v73 = v72 + 1L;
    long v74 = v73 + 1L;
    long v75 = v74 + 1L;
    long v76 = v75 + 1L;
    long v77 = v76 + 1L;
    long v78 = v77 + 1L;
    long v79 = v78 + 1L;
    long v80 = v79 + 1L;
    long v81 = v80 + 1L;
    long v82 = v81 + 1L;
    long v83 = v82 + 1L;
    long v84 = v83 + 1L;
    long v85 = v84 + 1L;
    long v86 = v85 + 1L;
    long v87 = v86 + 1L;
    long v88 = v87 + 1L;
    long v89 = v88 + 1L;
    long v90 = v89 + 1L;
    long v91 = v90 + 1L;
    long v92 = v91 + 1L;
    long v93 = v92 + 1L;
    long v94 = v93 + 1L;
    long v95 = v94 + 1L;
    long v96 = v95 + 1L;
    long v97 = v96 + 1L;
    long v98 = v97 + 1L;
    long v99 = v98 + 1L;
    long v100 = v99 + 1L;
    long v101 = v100 + 1L;
    long v102 = v101 + 1L;
    long v103 = v102 + 1L;
    long v104 = v103 + 1L;
    long v105 = v104 + 1L;
    long v106 = v105 + 1L;
    long v107 = v106 + 1L;
    long v108 = v107 + 1L;
    long v109 = v108 + 1L;
    long v110 = v109 + 1L;
    long v111 = v110 + 1L;
    long v112 = v111 + 1L;
    long v113 = v112 + 1L;
    long v114 = v113 + 1L;
    long v115 = v114 + 1L;
    long v116 = v115 + 1L;
    long v117 = v116 + 1L;
    long v118 = v117 + 1L;
    long v119 = v118 + 1L;
    long v120 = v119 + 1L;
    long v121 = v120 + 1L;
    long v122 = v121 + 1L;
    long v123 = v122 + 1L;
    long v124 = v123 + 1L;
    long v125 = v124 + 1L;
    long v126 = v125 + 1L;
    long v127 = v126 + 1L;
    long v128 = v127 + 1L;
    long v129 = v128 + 1L;
    long v130 = v129 + 1L;
    long v131 = v130 + 1L;
    long v132 = v131 + 1L;
    long v133 = v132 + 1L;
    long v134 = v133 + 1L;
    long v135 = v134 + 1L;
    long v136 = v135 + 1L;
    long v137 = v136 + 1L;
    long v138 = v137 + 1L;
    long v139 = v138 + 1L;
    long sum = v0 + v1 + v2 + v3 + v4 + v5 + v6 + v7 + v8 + v9 + v10 + v11
        + v12 + v13 + v14 + v15 + v16 + v17 + v18 + v19 + v20 + v21 + v22 + v23
        + v24 + v25 + v26 + v27 + v28 + v29 + v30 + v31 + v32 + v33 + v34 + v35
        + v36 + v37 + v38 + v39 + v40 + v41 + v42 + v43 + v44 + v45 + v46 + v47
        + v48 + v49 + v50 + v51 + v52 + v53 + v54 + v55 + v56 + v57 + v58 + v59
        + v60 + v61 + v62 + v63 + v64 + v65 + v66 + v67 + v68 + v69 + v70 + v71
        + v72 + v73 + v74 + v75 + v76 + v77 + v78 + v79 + v80 + v81 + v82 + v83
        + v84 + v85 + v86 + v87 + v88 + v89 + v90 + v91 + v92 + v93 + v94 + v95
        + v96 + v97 + v98 + v99 + v100 + v101 + v102 + v103 + v104 + v105 + v106 + v107
        + v108 + v109 + v110 + v111 + v112 + v113 + v114 + v115 + v116 + v117 + v118 + v119
        + v120 + v121 + v122 + v123 + v124 + v125 + v126 + v127 + v128 + v129 + v130 + v131
        + v132 + v133 + v134 + v135 + v136 + v137 + v138 + v139;
    who = who + "@" + password;
    user = who.trim();
    double half = sum / 2.0;
    if (sum % 2 == 0) {
      long even = sum / 2;
      lastLogin = user + " even " + even;
    } else {
      double odd = half * 2;
      lastLogin = user + " odd " + (long) odd;
    }
    lastSum = sum;
    lastHalf = half;
    if (password.isEmpty()) {
      throw new SQLException("empty password for " + who);
    }
    return connection;
  }
}
